package dev.aperture.config.internal;

import dev.aperture.config.ApertureConfig;
import dev.aperture.config.ConfigProblem;
import dev.aperture.config.ConfigurationException;
import dev.aperture.config.Grant;
import dev.aperture.config.Hook;
import dev.aperture.config.ProviderConfig;
import dev.aperture.config.Quota;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * HuJSON text → validated {@link ApertureConfig}. Reads the whole document, validates every section even
 * after an error, and throws one {@link ConfigurationException} listing every problem.
 */
public final class ConfigParser {
  static final List<String> TOP_LEVEL_KEYS = List.of("providers", "grants", "quotas", "hooks");

  private static final System.Logger logger = System.getLogger("dev.aperture.config");

  private ConfigParser() {
  }

  /**
   * @param sourceName where {@code text} came from, for messages and {@link ApertureConfig#source()}
   * @param environment resolves {@code ${NAME}} in secrets; returns null for an unset name
   */
  public static ApertureConfig parse(String text, String sourceName,
      Function<String, @Nullable String> environment) {
    Objects.requireNonNull(text, "text == null");
    Objects.requireNonNull(sourceName, "sourceName == null");
    Objects.requireNonNull(environment, "environment == null");

    Diagnostics diagnostics = new Diagnostics();
    JsonNode.ObjectNode root = HuJsonReader.readDocument(text, diagnostics);
    if (root == null) throw new ConfigurationException(diagnostics.errors());

    Map<String, JsonNode.Member> sections = root.members();
    for (JsonNode.Member member : sections.values()) {
      if (TOP_LEVEL_KEYS.contains(member.key())) continue;
      String suggestion = Suggestions.nearest(member.key(), TOP_LEVEL_KEYS);
      diagnostics.warning(JsonPaths.member("", member.key()), member.line(), "unknown top-level key "
          + JsonPaths.quote(member.key()).replace('"', '\'') + " ignored"
          + (suggestion != null ? "; did you mean '" + suggestion + "'?" : ""));
    }

    Map<String, ProviderConfig> providers = Map.of();
    JsonNode.Member providersMember = sections.get("providers");
    if (providersMember == null) {
      diagnostics.error("providers", root.line(), "missing required key \"providers\", the map of "
          + "provider id to provider");
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

    List<Grant> grants = List.of();
    JsonNode.Member grantsMember = sections.get("grants");
    if (grantsMember != null) {
      JsonNode.ArrayNode array = diagnostics.array(grantsMember.value(), "grants");
      if (array != null) grants = new GrantsParser(diagnostics, quotaNames).parse(array, "grants");
    }

    Map<String, Hook> hooks = Map.of();
    JsonNode.Member hooksMember = sections.get("hooks");
    if (hooksMember != null) {
      JsonNode.ObjectNode object = diagnostics.object(hooksMember.value(), "hooks");
      if (object != null) hooks = new HooksParser(diagnostics).parse(object, "hooks");
    }

    if (diagnostics.hasErrors()) throw new ConfigurationException(diagnostics.errors());

    List<String> warnings = diagnostics.warnings().stream().map(ConfigProblem::toString).toList();
    for (String warning : warnings) {
      logger.log(System.Logger.Level.WARNING, "{0}: {1}", sourceName, warning);
    }
    return new ApertureConfig(providers, grants, grantsMember != null, quotas, hooks, warnings,
        sourceName);
  }
}
