package dev.aperture.config.internal;

import dev.aperture.config.ModelAliases;
import dev.aperture.config.ProviderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Validates {@code model_aliases}: {@code {"strategy": ..., "models": {"<alias>": {"dst": [...]}}}}. */
final class AliasesParser {
  static final List<String> STRATEGIES = List.of(ModelAliases.FIRST);

  private final Diagnostics diagnostics;
  private final Map<String, ProviderConfig> providers;

  AliasesParser(Diagnostics diagnostics, Map<String, ProviderConfig> providers) {
    this.diagnostics = diagnostics;
    this.providers = providers;
  }

  ModelAliases parse(JsonNode.ObjectNode section, String path) {
    diagnostics.warnUnknownKeys(section, path, List.of("strategy", "models"), "model_aliases field");
    String strategy = strategy(section.members().get("strategy"), path);
    Map<String, ModelAliases.Alias> aliases = new LinkedHashMap<>();
    JsonNode.Member models = section.members().get("models");
    if (models != null) {
      String modelsPath = JsonPaths.member(path, "models");
      JsonNode.ObjectNode object = diagnostics.object(models.value(), modelsPath);
      if (object != null) {
        for (JsonNode.Member member : object.members().values()) {
          ModelAliases.Alias alias = alias(member, JsonPaths.member(modelsPath, member.key()));
          if (alias != null) aliases.put(alias.name(), alias);
        }
      }
    }
    return new ModelAliases(strategy, aliases);
  }

  private @Nullable String strategy(JsonNode.@Nullable Member member, String path) {
    if (member == null) return null;
    String strategyPath = JsonPaths.member(path, "strategy");
    String strategy = diagnostics.string(member.value(), strategyPath);
    if (strategy != null && !STRATEGIES.contains(strategy)) {
      diagnostics.warning(strategyPath, member.value().line(), "unknown strategy "
          + Diagnostics.show(strategy) + "; the SDK knows " + String.join(", ", STRATEGIES)
          + " and uses the first dst entry");
    }
    return strategy;
  }

  private ModelAliases.@Nullable Alias alias(JsonNode.Member member, String path) {
    int errorsBefore = diagnostics.errorCount();
    if (member.key().isEmpty()) {
      diagnostics.warning(path, member.line(), "an alias name must not be empty; ignored");
      return null;
    }
    JsonNode.ObjectNode entry = diagnostics.object(member.value(), path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, List.of("dst", "strategy"), "alias field");
    String strategy = strategy(entry.members().get("strategy"), path);
    List<String> destinations = new ArrayList<>();
    JsonNode.Member dst = entry.members().get("dst");
    if (dst == null) {
      diagnostics.warning(path, member.line(), "has no \"dst\", so the alias resolves to nothing");
    } else {
      String dstPath = JsonPaths.member(path, "dst");
      JsonNode.ArrayNode array = diagnostics.array(dst.value(), dstPath);
      if (array != null) {
        if (array.elements().isEmpty()) {
          diagnostics.warning(dstPath, array.line(), "is empty, so the alias resolves to nothing");
        }
        for (int i = 0; i < array.elements().size(); i++) {
          JsonNode element = array.elements().get(i);
          String elementPath = JsonPaths.element(dstPath, i);
          String destination = diagnostics.string(element, elementPath);
          if (destination == null) continue;
          int slash = destination.indexOf('/');
          if (slash <= 0 || slash == destination.length() - 1) {
            diagnostics.warning(elementPath, element.line(), "destination " + Diagnostics.show(destination)
                + " is not provider/model");
          } else if (!providers.containsKey(destination.substring(0, slash))) {
            diagnostics.warning(elementPath, element.line(), "destination " + Diagnostics.show(destination)
                + " names provider " + Diagnostics.show(destination.substring(0, slash))
                + ", which is not configured");
          } else {
            ProviderConfig provider = providers.get(destination.substring(0, slash));
            if (!provider.models().contains(destination.substring(slash + 1))) {
              diagnostics.warning(elementPath, element.line(), "destination "
                  + Diagnostics.show(destination) + " is not among provider " + provider.id()
                  + "'s models");
            }
          }
          // Kept in place even when warned about: the strategy picks by position, as written.
          destinations.add(destination);
        }
      }
    }
    if (diagnostics.errorCount() > errorsBefore) return null;
    return new ModelAliases.Alias(member.key(), destinations, strategy);
  }
}
