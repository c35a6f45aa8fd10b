package dev.aperture.config;

import dev.aperture.Redactor;
import dev.aperture.config.internal.ConfigParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A loaded, validated Aperture configuration.
 *
 * <p>The text is HuJSON: JSON with {@code //} and {@code /* *}{@code /} comments and trailing commas.
 * {@code ${VAR}} in an {@code apikey} is resolved from the environment at load time.
 *
 * <p><b>Two levels, as in Aperture.</b> {@link #load(Path)} and {@link #parse(String)} accept what
 * Aperture accepts when it loads a file: what Aperture only warns about (a provider without
 * {@code baseurl}, a bad {@code add_headers} entry, a grant naming an undefined quota or hook, an unknown
 * key, …) is a warning, kept in {@link #problems()} with its JSON path and line, and logged once; the
 * configuration then behaves as Aperture's does (that provider does not route, that hook is not sent).
 * Hard errors — invalid HuJSON, an unset {@code ${VAR}}, an invalid quota definition, a control character
 * in a key or header value — throw one {@link ConfigurationException} listing every problem.
 * {@link #loadStrict(Path)}, {@link #parseStrict(String)} or {@link #requireNoWarnings()} apply Aperture's
 * save-time rule instead: every warning is an error. Sections the SDK recognises but does not apply
 * ({@code exporters}, {@code database}, {@code mcp}, {@code connectors}, {@code flags},
 * {@code temp_grants}, {@code auto_cost_basis}) get one informational {@link #notes() note} each, never a
 * warning.
 *
 * <p>{@link #toString()} and every message hide the file's secrets; {@link #redactor()} hides them in any
 * other text.
 */
public final class ApertureConfig {
  private final Map<String, ProviderConfig> providers;
  private final List<Grant> grants;
  private final boolean hasGrants;
  private final Map<String, Quota> quotas;
  private final Map<String, Hook> hooks;
  private final ModelAliases modelAliases;
  private final boolean autoCostBasis;
  private final List<ConfigProblem> problems;
  private final List<String> warnings;
  private final List<ConfigProblem> notes;
  private final String source;
  private final Redactor redactor;

  /**
   * The earlier positional form, kept for callers that build configurations in code.
   *
   * @param hasGrants whether the file had a {@code grants} key at all
   * @param warnings warning texts (no path or line)
   * @param source where the text came from, for messages
   */
  public ApertureConfig(Map<String, ProviderConfig> providers, List<Grant> grants, boolean hasGrants,
      Map<String, Quota> quotas, Map<String, Hook> hooks, List<String> warnings, String source) {
    this(builder().providers(providers).grants(grants).hasGrants(hasGrants).quotas(quotas).hooks(hooks)
        .source(source).legacyWarnings(warnings));
  }

  private ApertureConfig(Builder builder) {
    this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.providers));
    this.grants = List.copyOf(builder.grants);
    this.hasGrants = builder.hasGrants;
    this.quotas = Collections.unmodifiableMap(new LinkedHashMap<>(builder.quotas));
    this.hooks = Collections.unmodifiableMap(new LinkedHashMap<>(builder.hooks));
    this.modelAliases = builder.modelAliases;
    this.autoCostBasis = builder.autoCostBasis;
    this.problems = List.copyOf(builder.problems);
    List<String> texts = new ArrayList<>();
    for (ConfigProblem problem : problems) {
      texts.add(problem.path().isEmpty() && problem.line() == 0 ? problem.message() : problem.toString());
    }
    this.warnings = List.copyOf(texts);
    this.notes = List.copyOf(builder.notes);
    this.source = builder.source;
    this.redactor = computeRedactor();
  }

  /** An empty configuration to build on: no providers, no grants, source {@code <code>}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised from this configuration (for a changed copy, such as other base URLs). */
  public Builder newBuilder() {
    Builder builder = new Builder();
    builder.providers.putAll(providers);
    builder.grants.addAll(grants);
    builder.hasGrants = hasGrants;
    builder.quotas.putAll(quotas);
    builder.hooks.putAll(hooks);
    builder.modelAliases = modelAliases;
    builder.autoCostBasis = autoCostBasis;
    builder.problems.addAll(problems);
    builder.notes.addAll(notes);
    builder.source = source;
    return builder;
  }

  // ---- Loading ----

  /** Reads and validates the file at {@code path} (UTF-8), keeping warnings; see the class comment. */
  public static ApertureConfig load(Path path) {
    return ConfigParser.parse(read(path), path.toString(), System::getenv);
  }

  /** As {@link #load(Path)}, but every warning is an error (Aperture's save-time rule). */
  public static ApertureConfig loadStrict(Path path) {
    return ConfigParser.parse(read(path), path.toString(), System::getenv, true);
  }

  /** Parses and validates configuration text, keeping warnings. */
  public static ApertureConfig parse(String text) {
    return ConfigParser.parse(text, "<string>", System::getenv);
  }

  /** As {@link #parse(String)}, but every warning is an error. */
  public static ApertureConfig parseStrict(String text) {
    return ConfigParser.parse(text, "<string>", System::getenv, true);
  }

  /** Reads all of {@code reader} and parses it; {@code sourceName} names it in messages. */
  public static ApertureConfig parse(Reader reader, String sourceName) {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    try {
      for (int n; (n = reader.read(buffer)) != -1; ) text.append(buffer, 0, n);
    } catch (IOException e) {
      throw new ConfigurationException("", "cannot read " + sourceName + ": " + e.getMessage());
    }
    return ConfigParser.parse(text.toString(), sourceName, System::getenv);
  }

  /**
   * Parses with {@code environment} instead of the process environment for {@code ${VAR}}: for tests and
   * for applications that keep secrets elsewhere. {@code environment} returns null for an unset name.
   */
  public static ApertureConfig parse(String text, String sourceName,
      Function<String, @Nullable String> environment) {
    return ConfigParser.parse(text, sourceName, environment);
  }

  /** As {@link #parse(String, String, Function)}, but every warning is an error. */
  public static ApertureConfig parseStrict(String text, String sourceName,
      Function<String, @Nullable String> environment) {
    return ConfigParser.parse(text, sourceName, environment, true);
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("", "cannot read " + path + ": " + e.getClass().getSimpleName());
    }
  }

  /**
   * This configuration if it loaded without warnings; otherwise throws a {@link ConfigurationException}
   * listing every warning as an error: Aperture's rule when a file is saved.
   */
  public ApertureConfig requireNoWarnings() {
    if (!problems.isEmpty()) throw new ConfigurationException(problems);
    return this;
  }

  // ---- Values ----

  /** The {@code providers} entries in file order, usable or not. */
  public Map<String, ProviderConfig> providers() {
    return providers;
  }

  /** The {@code grants}; empty means none were configured. */
  public List<Grant> grants() {
    return grants;
  }

  /**
   * Whether the file had a {@code grants} key at all, even an empty one; the Router's grants policy
   * denies by default either way (use {@code AccessPolicy.allowAll()} to opt out).
   */
  public boolean hasGrants() {
    return hasGrants;
  }

  /** The {@code quotas} definitions by configured name. */
  public Map<String, Quota> quotas() {
    return quotas;
  }

  /** The {@code hooks} by name, usable or not. */
  public Map<String, Hook> hooks() {
    return hooks;
  }

  /** The {@code model_aliases} section; {@link ModelAliases#none()} when absent. */
  public ModelAliases modelAliases() {
    return modelAliases;
  }

  /** {@code auto_cost_basis} (default true). Recognised; the SDK does not price calls by it. */
  public boolean autoCostBasis() {
    return autoCostBasis;
  }

  /** The warnings found at load, each with its JSON path and line; empty for a clean file. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The warnings as text, such as {@code providers.p (line 3): no apikey; …}. */
  public List<String> warnings() {
    return warnings;
  }

  /** Informational notes: recognised sections the SDK does not apply. Not warnings. */
  public List<ConfigProblem> notes() {
    return notes;
  }

  /** Where the text came from, for messages: a path or a name. */
  public String source() {
    return source;
  }

  /** The entries routing may use: those not {@code disabled}. */
  public List<ProviderConfig> enabledProviders() {
    return providers.values().stream().filter(p -> !p.disabled()).toList();
  }

  /**
   * Hides every secret the file holds: provider keys (and key files), hook keys, provider and grant
   * {@code add_headers} values, and credentials in base URLs and hook URLs.
   */
  public Redactor redactor() {
    return redactor;
  }

  private Redactor computeRedactor() {
    List<String> secrets = new ArrayList<>();
    for (ProviderConfig provider : providers.values()) secrets.addAll(provider.secrets());
    for (Hook hook : hooks.values()) {
      if (!hook.apiKey().isEmpty()) secrets.add(hook.apiKey().reveal());
      secrets.addAll(Secrets.userInfo(hook.url()));
    }
    for (Grant grant : grants) {
      for (Grant.Capability capability : grant.capabilities()) {
        for (ProviderConfig.Header header : capability.addHeaders()) secrets.add(header.value());
      }
    }
    return Secrets.redactor(secrets);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ApertureConfig that && providers.equals(that.providers)
        && grants.equals(that.grants) && hasGrants == that.hasGrants && quotas.equals(that.quotas)
        && hooks.equals(that.hooks) && modelAliases.equals(that.modelAliases)
        && autoCostBasis == that.autoCostBasis && problems.equals(that.problems)
        && notes.equals(that.notes) && source.equals(that.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(providers, grants, quotas, hooks, source);
  }

  /** Every section, secrets hidden. */
  @Override
  public String toString() {
    return redactor.redact("ApertureConfig{source=" + source + ", providers=" + providers.values()
        + ", grants=" + grants + ", quotas=" + quotas.values() + ", hooks=" + hooks.values()
        + (modelAliases.isEmpty() ? "" : ", model_aliases=" + modelAliases)
        + ", warnings=" + problems.size() + "}");
  }

  /** Builds an {@link ApertureConfig}: for configurations made in code and changed copies. */
  public static final class Builder {
    private final Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    private final List<Grant> grants = new ArrayList<>();
    private boolean hasGrants;
    private final Map<String, Quota> quotas = new LinkedHashMap<>();
    private final Map<String, Hook> hooks = new LinkedHashMap<>();
    private ModelAliases modelAliases = ModelAliases.none();
    private boolean autoCostBasis = true;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<ConfigProblem> notes = new ArrayList<>();
    private String source = "<code>";

    Builder() {
    }

    /** Replaces the providers (keyed by their ids, in this order). */
    public Builder providers(Map<String, ProviderConfig> providers) {
      this.providers.clear();
      this.providers.putAll(providers);
      return this;
    }

    /** Adds or replaces one provider. */
    public Builder provider(ProviderConfig provider) {
      this.providers.put(provider.id(), provider);
      return this;
    }

    /** Replaces the grants; {@link #hasGrants} becomes true. */
    public Builder grants(List<Grant> grants) {
      this.grants.clear();
      this.grants.addAll(grants);
      this.hasGrants = true;
      return this;
    }

    public Builder hasGrants(boolean hasGrants) {
      this.hasGrants = hasGrants;
      return this;
    }

    public Builder quotas(Map<String, Quota> quotas) {
      this.quotas.clear();
      this.quotas.putAll(quotas);
      return this;
    }

    public Builder hooks(Map<String, Hook> hooks) {
      this.hooks.clear();
      this.hooks.putAll(hooks);
      return this;
    }

    public Builder modelAliases(ModelAliases modelAliases) {
      this.modelAliases = Objects.requireNonNull(modelAliases, "modelAliases == null");
      return this;
    }

    public Builder autoCostBasis(boolean autoCostBasis) {
      this.autoCostBasis = autoCostBasis;
      return this;
    }

    /** Replaces the warnings. */
    public Builder problems(List<ConfigProblem> problems) {
      this.problems.clear();
      this.problems.addAll(problems);
      return this;
    }

    public Builder notes(List<ConfigProblem> notes) {
      this.notes.clear();
      this.notes.addAll(notes);
      return this;
    }

    Builder legacyWarnings(List<String> warnings) {
      this.problems.clear();
      for (String warning : warnings) this.problems.add(new ConfigProblem("", 0, warning));
      return this;
    }

    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source == null");
      return this;
    }

    public ApertureConfig build() {
      return new ApertureConfig(this);
    }
  }
}
