package dev.aperture.config.internal;

import dev.aperture.Redactor;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.ConfigProblem;
import dev.aperture.config.ConfigurationException;
import dev.aperture.config.Grant;
import dev.aperture.config.Hook;
import dev.aperture.config.ModelAliases;
import dev.aperture.config.ProviderConfig;
import dev.aperture.config.Quota;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * HuJSON text → validated {@link ApertureConfig}. Reads the whole document, validates every section even
 * after an error, and throws one {@link ConfigurationException} listing every error; warnings are kept
 * on the result and logged once.
 */
public final class ConfigParser {
  /** Sections the SDK applies. */
  static final List<String> APPLIED_KEYS = List.of("providers", "grants", "quotas", "hooks",
      "model_aliases");
  /** Sections Aperture has that the SDK recognises but does not apply: one note each. */
  static final List<String> RECOGNISED_KEYS = List.of("exporters", "database", "mcp", "connectors",
      "flags", "auto_cost_basis", "temp_grants");
  static final List<String> TOP_LEVEL_KEYS = concat(APPLIED_KEYS, RECOGNISED_KEYS);

  private static final System.Logger logger = System.getLogger("dev.aperture.config");

  private ConfigParser() {
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> result = new ArrayList<>(a);
    result.addAll(b);
    return List.copyOf(result);
  }

  /**
   * @param sourceName where {@code text} came from, for messages and {@link ApertureConfig#source()}
   * @param environment resolves {@code ${NAME}} in secrets; returns null for an unset name
   */
  public static ApertureConfig parse(String text, String sourceName,
      Function<String, @Nullable String> environment) {
    return parse(text, sourceName, environment, false);
  }

  /**
   * @param strict Aperture's save-time rule: every warning is an error, reported together with the
   *     errors in one {@link ConfigurationException}
   */
  public static ApertureConfig parse(String text, String sourceName,
      Function<String, @Nullable String> environment, boolean strict) {
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(sourceName, "sourceName == null");
    Objects.requireNonNull(environment, "environment == null");

    Diagnostics diagnostics = new Diagnostics();
    JsonNode.ObjectNode root = HuJsonReader.readDocument(text, diagnostics);
    if (root == null) throw new ConfigurationException(diagnostics.errors());

    Map<String, JsonNode.Member> sections = root.members();
    for (JsonNode.Member member : sections.values()) {
      if (APPLIED_KEYS.contains(member.key())) continue;
      String path = JsonPaths.member("", member.key());
      if (RECOGNISED_KEYS.contains(member.key())) {
        if (!member.key().equals("auto_cost_basis")) {
          diagnostics.note(path, member.line(), "recognised; not applied by the SDK");
        }
        continue;
      }
      String suggestion = Suggestions.nearest(member.key(), TOP_LEVEL_KEYS);
      diagnostics.warning(path, member.line(), "unknown top-level key "
          + JsonPaths.quote(member.key()).replace('"', '\'') + " ignored"
          + (suggestion != null ? "; did you mean '" + suggestion + "'?" : ""));
    }

    boolean autoCostBasis = true;
    JsonNode.Member autoCostBasisMember = sections.get("auto_cost_basis");
    if (autoCostBasisMember != null) {
      Boolean value = diagnostics.bool(autoCostBasisMember.value(), "auto_cost_basis");
      if (value != null) autoCostBasis = value;
      diagnostics.note("auto_cost_basis", autoCostBasisMember.line(), "recognised; not applied by the "
          + "SDK (calls are priced by what the provider reports)");
    }

    Map<String, ProviderConfig> providers = Map.of();
    JsonNode.Member providersMember = sections.get("providers");
    if (providersMember == null) {
      diagnostics.warning("providers", root.line(), "no \"providers\": no model will route (valid for a "
          + "file that only configures MCP or connectors)");
    } else {
      JsonNode.ObjectNode object = diagnostics.object(providersMember.value(), "providers");
      if (object != null) {
        providers = new ProvidersParser(diagnostics, environment).parse(object, "providers");
      }
    }

    Map<String, Quota> quotas = Map.of();
    Set<String> quotaNames = Set.of();
    JsonNode.Member quotasMember = sections.get("quotas");
    if (quotasMember != null) {
      JsonNode.ObjectNode object = diagnostics.object(quotasMember.value(), "quotas");
      if (object != null) {
        // Grants may name any bucket the file defines, valid or not: an invalid one is reported once.
        quotaNames = object.members().keySet();
        quotas = new QuotasParser(diagnostics).parse(object, "quotas");
      }
    }

    Map<String, Hook> hooks = Map.of();
    Set<String> hookNames = Set.of();
    JsonNode.Member hooksMember = sections.get("hooks");
    if (hooksMember != null) {
      JsonNode.ObjectNode object = diagnostics.object(hooksMember.value(), "hooks");
      if (object != null) {
        hookNames = object.members().keySet();
        hooks = new HooksParser(diagnostics, environment).parse(object, "hooks");
      }
    }

    List<Grant> grants = List.of();
    JsonNode.Member grantsMember = sections.get("grants");
    if (grantsMember != null) {
      JsonNode.ArrayNode array = diagnostics.array(grantsMember.value(), "grants");
      if (array != null) {
        grants = new GrantsParser(diagnostics, quotaNames, hookNames, providers,
            providersMember != null).parse(array, "grants");
      }
    }

    ModelAliases aliases = ModelAliases.none();
    JsonNode.Member aliasesMember = sections.get("model_aliases");
    if (aliasesMember != null) {
      JsonNode.ObjectNode object = diagnostics.object(aliasesMember.value(), "model_aliases");
      if (object != null) aliases = new AliasesParser(diagnostics, providers).parse(object, "model_aliases");
    }

    if (strict && !diagnostics.warnings().isEmpty()) {
      List<ConfigProblem> all = new ArrayList<>(diagnostics.errors());
      all.addAll(diagnostics.warnings());
      all.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
      throw new ConfigurationException(all);
    }
    if (diagnostics.hasErrors()) throw new ConfigurationException(diagnostics.errors());

    ApertureConfig config = ApertureConfig.builder()
        .providers(providers)
        .grants(grants)
        .hasGrants(grantsMember != null)
        .quotas(quotas)
        .hooks(hooks)
        .modelAliases(aliases)
        .autoCostBasis(autoCostBasis)
        .problems(diagnostics.warnings())
        .notes(diagnostics.notes())
        .source(sourceName)
        .build();
    // Messages never quote a secret by construction; the redactor is a second guard on the way out.
    Redactor redactor = config.redactor();
    for (ConfigProblem warning : config.problems()) {
      logger.log(System.Logger.Level.WARNING, "{0}: {1}", sourceName, redactor.redact(warning.toString()));
    }
    for (ConfigProblem note : config.notes()) {
      logger.log(System.Logger.Level.INFO, "{0}: {1}", sourceName, note.toString());
    }
    return config;
  }
}
