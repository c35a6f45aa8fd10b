package dev.aperture.examples.internal;

import dev.aperture.ApiKey;
import dev.aperture.Redactor;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.ConfigurationException;
import dev.aperture.config.ProviderConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Loads the examples' configuration file, online or offline.
 *
 * <p>{@link #start}, for the examples' own file: online ({@code OPENROUTER_API_KEY} set) the file as it
 * is; offline ({@code OPENROUTER_API_KEY} unset or blank, or {@code APERTURE_OFFLINE=1}) an
 * {@link EmbeddedUpstream} is started, and every OpenRouter provider entry (type, id or base URL host
 * {@code openrouter}) gets the embedded upstream's base URL and its dummy key instead of the file's.
 * Nothing else changes: same models, same grants. {@link #startAsWritten} never swaps anything (a file
 * the user named), and {@link #startOffline} always does (an explicit {@code --offline}). The first line
 * printed says which mode is in effect; it never shows a credential.
 */
public final class Demo implements Closeable {
  /** The environment variable with the OpenRouter key. */
  public static final String KEY_VARIABLE = "OPENROUTER_API_KEY";
  /** Set to {@code 1} or {@code true} to stay offline even with a key. */
  public static final String OFFLINE_VARIABLE = "APERTURE_OFFLINE";
  /** The configuration file's name, looked for in the working directory, then in aperture-examples/. */
  public static final String CONFIG_FILE = "aperture.hujson";

  private final ApertureConfig config;
  private final @Nullable EmbeddedUpstream upstream;
  private final String banner;

  private Demo(ApertureConfig config, @Nullable EmbeddedUpstream upstream, String banner) {
    this.config = config;
    this.upstream = upstream;
    this.banner = banner;
  }

  /** Loads the default configuration file with the process environment, printing the mode line. */
  public static Demo start(PrintStream out) {
    return start(defaultConfigPath(), System::getenv, out);
  }

  /**
   * Loads {@code configPath}, offline or online as {@code environment} says, and prints the mode line
   * to {@code out}.
   */
  public static Demo start(Path configPath, Function<String, @Nullable String> environment, PrintStream out) {
    String text = read(configPath);
    Demo demo;
    if (isOffline(environment)) {
      String key = environment.apply(KEY_VARIABLE);
      demo = offline(text, configPath, environment, key == null || key.isBlank()
          ? KEY_VARIABLE + " is not set" : OFFLINE_VARIABLE + " is set");
    } else {
      demo = online(text, configPath, environment);
    }
    out.println(demo.banner);
    return demo;
  }

  static boolean isOffline(Function<String, @Nullable String> environment) {
    String key = environment.apply(KEY_VARIABLE);
    String offline = environment.apply(OFFLINE_VARIABLE);
    return key == null || key.isBlank() || "1".equals(offline) || "true".equalsIgnoreCase(offline);
  }

  private static Demo online(String text, Path path, Function<String, @Nullable String> environment) {
    ApertureConfig config = ApertureConfig.parse(text, path.toString(), environment);
    List<String> urls = new ArrayList<>();
    for (ProviderConfig provider : config.enabledProviders()) urls.add(provider.id() + " → " + withoutCredentials(provider.baseUrl()));
    return new Demo(config, null, "Online: " + KEY_VARIABLE + " is set; calling " + String.join(", ", urls)
        + " (config " + path + ").");
  }

  /**
   * Loads {@code configPath} exactly as written (no stand-in, whatever the environment), resolving
   * {@code ${VARS}} from {@code environment}, and prints the mode line.
   */
  public static Demo startAsWritten(Path configPath, Function<String, @Nullable String> environment, PrintStream out) {
    String text = read(configPath);
    ApertureConfig config = ApertureConfig.parse(text, configPath.toString(), environment);
    List<String> urls = new ArrayList<>();
    for (ProviderConfig provider : config.enabledProviders()) urls.add(provider.id() + " → " + withoutCredentials(provider.baseUrl()));
    Demo demo = new Demo(config, null, "Using " + configPath + " as written: calling " + String.join(", ", urls) + ".");
    out.println(demo.banner);
    return demo;
  }

  /**
   * Loads {@code configPath} with every OpenRouter entry pointed at the embedded stand-in, because the user
   * asked for it ({@code why}, such as "--offline is given"), and prints the mode line.
   */
  public static Demo startOffline(Path configPath, Function<String, @Nullable String> environment, PrintStream out,
      String why) {
    Demo demo = offline(read(configPath), configPath, environment, why);
    out.println(demo.banner);
    return demo;
  }

  private static String read(Path configPath) {
    Objects.requireNonNull(configPath, "configPath == null");
    try {
      return Files.readString(configPath, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigurationException("", "cannot read " + configPath + ": " + e.getMessage());
    }
  }

  /** {@code url} with any {@code user:password@} replaced by {@link Redactor#MASK}: banners never show it. */
  public static String withoutCredentials(String url) {
    return url.replaceAll("(?<=://)[^/?#@]*@", Redactor.MASK + "@");
  }

  /**
   * Every secret {@code config} holds: provider and hook keys, {@code add_headers} values, credentials in
   * base URLs ({@link ApertureConfig#redactor()}).
   */
  public static Redactor redactor(ApertureConfig config) {
    return config.redactor();
  }

  /** The redactor for this demo's configuration ({@link #redactor(ApertureConfig)}). */
  public Redactor redactor() {
    return redactor(config);
  }

  private static Demo offline(String text, Path path, Function<String, @Nullable String> environment, String why) {
    // Unset ${VARS} resolve to a placeholder so the file loads as written; OpenRouter entries then get
    // the embedded upstream's key instead.
    Function<String, @Nullable String> offlineEnvironment = name -> {
      String value = environment.apply(name);
      return value != null && !value.isBlank() ? value : "offline-placeholder";
    };
    ApertureConfig loaded = ApertureConfig.parse(text, path.toString(), offlineEnvironment);
    EmbeddedUpstream upstream;
    try {
      upstream = EmbeddedUpstream.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded upstream on 127.0.0.1", e);
    }
    List<String> redirected = new ArrayList<>();
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    for (ProviderConfig provider : loaded.providers().values()) {
      if (isOpenRouter(provider)) {
        redirected.add(provider.id());
        provider = withUpstream(provider, upstream.baseUrl(), ApiKey.of(EmbeddedUpstream.DEMO_KEY));
      }
      providers.put(provider.id(), provider);
    }
    ApertureConfig config = new ApertureConfig(providers, loaded.grants(), loaded.hasGrants(),
        loaded.quotas(), loaded.hooks(), loaded.warnings(), loaded.source());
    return new Demo(config, upstream, "Offline: " + why + ", so provider " + String.join(", ", redirected)
        + " points at an embedded OpenRouter stand-in on " + upstream.baseUrl()
        + " (no network; set " + KEY_VARIABLE + " to call OpenRouter).");
  }

  private static boolean isOpenRouter(ProviderConfig provider) {
    if ("openrouter".equals(provider.type()) || "openrouter".equals(provider.id())) return true;
    try {
      String host = URI.create(provider.baseUrl()).getHost();
      return host != null && (host.equals("openrouter.ai") || host.endsWith(".openrouter.ai"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A copy of {@code provider} with another base URL and key: the documented offline override. */
  public static ProviderConfig withUpstream(ProviderConfig provider, String baseUrl, ApiKey apiKey) {
    return new ProviderConfig(provider.id(), provider.type(), baseUrl, provider.models(), apiKey,
        provider.authorization(), provider.compatibility(), provider.addHeaders(), provider.preference(),
        provider.disabled(), provider.name(), provider.description(), provider.costBasis(), provider.path());
  }

  /** {@code aperture.hujson} in the working directory if there, else {@code aperture-examples/aperture.hujson}. */
  public static Path defaultConfigPath() {
    Path here = Path.of(CONFIG_FILE);
    if (Files.isRegularFile(here)) return here;
    Path module = Path.of("aperture-examples", CONFIG_FILE);
    return Files.isRegularFile(module) ? module : here;
  }

  public ApertureConfig config() {
    return config;
  }

  public boolean isOffline() {
    return upstream != null;
  }

  /** The embedded upstream when offline, else null. */
  public @Nullable EmbeddedUpstream upstream() {
    return upstream;
  }

  /** The first line printed: which mode, and where calls go. */
  public String banner() {
    return banner;
  }

  @Override
  public void close() {
    if (upstream != null) upstream.close();
  }
}
