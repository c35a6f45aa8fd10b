package dev.aperture.config.internal;

import dev.aperture.config.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Validates {@code grants}: Tailscale grant syntax with Aperture's capability. */
final class GrantsParser {
  static final List<String> GRANT_FIELDS = List.of("src", "app");
  static final List<String> CAPABILITY_FIELDS = List.of("role", "models", "quotas");
  static final List<String> ROLES = List.of("user", "admin");

  private final Diagnostics diagnostics;
  private final Set<String> quotaNames;

  /** {@code quotaNames}: the buckets {@code quotas} defines, which grants may charge. */
  GrantsParser(Diagnostics diagnostics, Set<String> quotaNames) {
    this.diagnostics = diagnostics;
    this.quotaNames = quotaNames;
  }

  List<Grant> parse(JsonNode.ArrayNode grants, String path) {
    List<Grant> result = new ArrayList<>();
    for (int i = 0; i < grants.elements().size(); i++) {
      Grant grant = grant(grants.elements().get(i), JsonPaths.element(path, i));
      if (grant != null) result.add(grant);
    }
    return result;
  }

  private @Nullable Grant grant(JsonNode node, String path) {
    int errorsBefore = diagnostics.errorCount();
    JsonNode.ObjectNode entry = diagnostics.object(node, path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, GRANT_FIELDS, "grant field");

    List<String> sources = List.of();
    JsonNode.Member src = entry.members().get("src");
    if (src == null) {
      diagnostics.error(path, entry.line(), "missing required field \"src\", such as [\"*\"] or "
          + "[\"group:eng\"]");
    } else {
      sources = sources(src.value(), JsonPaths.member(path, "src"));
    }

    List<Grant.Capability> capabilities = new ArrayList<>();
    JsonNode.Member app = entry.members().get("app");
    String appPath = JsonPaths.member(path, "app");
    JsonNode.ObjectNode appObject = app != null ? diagnostics.object(app.value(), appPath) : null;
    JsonNode.Member aperture = appObject != null
        ? appObject.members().get(Grant.CAPABILITY_KEY)
        : null;
    if (appObject != null) {
      for (JsonNode.Member other : appObject.members().values()) {
        if (other != aperture) {
          diagnostics.warning(JsonPaths.member(appPath, other.key()), other.line(),
              "capability " + JsonPaths.quote(other.key()) + " is not Aperture's; ignored");
        }
      }
    }
    if (aperture == null) {
      if (app == null || appObject != null) {
        diagnostics.warning(path, entry.line(), "has no \"app\": {\"" + Grant.CAPABILITY_KEY
            + "\": [...]}, so it grants nothing");
      }
    } else {
      String capabilitiesPath = JsonPaths.member(appPath, Grant.CAPABILITY_KEY);
      JsonNode.ArrayNode array = diagnostics.array(aperture.value(), capabilitiesPath);
      if (array != null) {
        if (array.elements().isEmpty()) {
          diagnostics.warning(capabilitiesPath, array.line(), "lists no capability, so the grant "
              + "grants nothing");
        }
        for (int i = 0; i < array.elements().size(); i++) {
          Grant.Capability capability = capability(array.elements().get(i),
              JsonPaths.element(capabilitiesPath, i));
          if (capability != null) capabilities.add(capability);
        }
      }
    }
    if (diagnostics.errorCount() > errorsBefore) return null;
    return new Grant(sources, capabilities);
  }

  private List<String> sources(JsonNode node, String path) {
    JsonNode.ArrayNode array = diagnostics.array(node, path);
    if (array == null) return List.of();
    if (array.elements().isEmpty()) {
      diagnostics.error(path, node.line(), "must list at least one source, such as \"*\"");
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < array.elements().size(); i++) {
      JsonNode element = array.elements().get(i);
      String elementPath = JsonPaths.element(path, i);
      String source = diagnostics.string(element, elementPath);
      if (source == null) continue;
      String problem = sourceProblem(source);
      if (problem != null) {
        diagnostics.error(elementPath, element.line(), problem);
      } else {
        result.add(source);
      }
    }
    return result;
  }

  /** Why {@code source} cannot be a {@code src} entry, or null if it can. */
  static @Nullable String sourceProblem(String source) {
    if (source.isBlank()) {
      return "a source must not be empty; use \"*\" for everyone";
    }
    if (ProvidersParser.containsWhitespace(source)) {
      return "source " + JsonPaths.quote(Diagnostics.abbreviate(source))
          + " must not contain whitespace";
    }
    for (String prefix : List.of("group:", "tag:")) {
      if (source.startsWith(prefix) && source.length() == prefix.length()) {
        return "source " + JsonPaths.quote(source) + " has no name after '" + prefix + "'";
      }
    }
    return null;
  }

  private Grant.@Nullable Capability capability(JsonNode node, String path) {
    int errorsBefore = diagnostics.errorCount();
    JsonNode.ObjectNode entry = diagnostics.object(node, path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, CAPABILITY_FIELDS, "capability field");

    String role = null;
    JsonNode.Member roleMember = entry.members().get("role");
    if (roleMember == null) {
      diagnostics.error(path, entry.line(), "missing required field \"role\" (\"user\" or \"admin\")");
    } else {
      String rolePath = JsonPaths.member(path, "role");
      role = diagnostics.string(roleMember.value(), rolePath);
      if (role != null && !ROLES.contains(role)) {
        diagnostics.error(rolePath, roleMember.value().line(), "unknown role "
            + JsonPaths.quote(Diagnostics.abbreviate(role)) + "; allowed: user, admin");
      }
    }

    List<String> models = new ArrayList<>();
    JsonNode.Member modelsMember = entry.members().get("models");
    if (modelsMember == null) {
      diagnostics.warning(path, entry.line(), "has no \"models\", so it grants no model");
    } else {
      String modelsPath = JsonPaths.member(path, "models");
      JsonNode.ArrayNode array = diagnostics.array(modelsMember.value(), modelsPath);
      if (array != null) {
        if (array.elements().isEmpty()) {
          diagnostics.warning(modelsPath, array.line(), "is empty, so the capability grants no model");
        }
        for (int i = 0; i < array.elements().size(); i++) {
          JsonNode element = array.elements().get(i);
          String elementPath = JsonPaths.element(modelsPath, i);
          String glob = diagnostics.string(element, elementPath);
          if (glob == null) continue;
          if (glob.isEmpty()) {
            diagnostics.error(elementPath, element.line(), "a model glob must not be empty");
          } else if (ProvidersParser.containsWhitespace(glob)) {
            diagnostics.error(elementPath, element.line(), "model glob " + JsonPaths.quote(
                Diagnostics.abbreviate(glob)) + " must not contain whitespace");
          } else {
            models.add(glob);
          }
        }
      }
    }

    List<String> buckets = new ArrayList<>();
    JsonNode.Member quotasMember = entry.members().get("quotas");
    if (quotasMember != null) {
      String quotasPath = JsonPaths.member(path, "quotas");
      JsonNode.ArrayNode array = diagnostics.array(quotasMember.value(), quotasPath);
      if (array != null) {
        for (int i = 0; i < array.elements().size(); i++) {
          String bucket = bucket(array.elements().get(i), JsonPaths.element(quotasPath, i));
          if (bucket != null) buckets.add(bucket);
        }
      }
    }

    if (diagnostics.errorCount() > errorsBefore || role == null) return null;
    return new Grant.Capability(role, models, buckets);
  }

  private @Nullable String bucket(JsonNode node, String path) {
    JsonNode.ObjectNode entry = diagnostics.object(node, path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, List.of("bucket"), "quota reference field");
    JsonNode.Member member = entry.members().get("bucket");
    if (member == null) {
      diagnostics.error(path, entry.line(), "missing required field \"bucket\", the name of a quota");
      return null;
    }
    String bucketPath = JsonPaths.member(path, "bucket");
    String bucket = diagnostics.string(member.value(), bucketPath);
    if (bucket == null) return null;
    if (!quotaNames.contains(bucket)) {
      String suggestion = Suggestions.nearest(bucket, quotaNames);
      diagnostics.error(bucketPath, member.value().line(), "quota bucket "
          + JsonPaths.quote(Diagnostics.abbreviate(bucket)) + " is not defined in \"quotas\""
          + (suggestion != null ? "; did you mean " + JsonPaths.quote(suggestion) + "?" : ""));
      return null;
    }
    return bucket;
  }
}
