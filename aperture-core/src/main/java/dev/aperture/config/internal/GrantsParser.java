package dev.aperture.config.internal;

import dev.aperture.AccessDecision;
import dev.aperture.config.Grant;
import dev.aperture.config.ProviderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates {@code grants}: Tailscale grant syntax with Aperture's capability. Capability objects may
 * carry any combination of fields; {@code models} is one glob string (or the SDK's earlier array).
 * Whatever Aperture only warns about — an unsupported {@code src} form, a glob that cannot match, an
 * undefined quota or hook, an unknown field — is a warning here too, and the grant keeps what is valid.
 * A warning never widens access: a dropped glob matches nothing, a dropped source names nobody.
 */
final class GrantsParser {
  static final List<String> GRANT_FIELDS = List.of("src", "dst", "ip", "app");
  static final List<String> CAPABILITY_FIELDS = List.of("role", "models", "quotas", "send_hooks",
      "add_headers", "mcp_tools", "mcp_resources", "mcp_templates", "connectors", "enable_chat_ui",
      "read_metrics");
  static final List<String> ROLES = List.of("user", "admin");
  static final List<String> SEND_FIELDS = List.of("request_body", "user_message", "response_body",
      "raw_responses", "tools", "grants", "estimated_cost", "quotas");

  private final Diagnostics diagnostics;
  private final Set<String> quotaNames;
  private final Set<String> hookNames;
  private final Map<String, ProviderConfig> providers;
  private final boolean checkGlobs;

  /**
   * @param quotaNames the buckets {@code quotas} defines, which grants may charge
   * @param hookNames the hooks {@code hooks} defines, which {@code send_hooks} may name
   * @param providers the configured providers, to tell globs that can never match
   * @param checkGlobs false when the file has no providers at all (nothing to check against)
   */
  GrantsParser(Diagnostics diagnostics, Set<String> quotaNames, Set<String> hookNames,
      Map<String, ProviderConfig> providers, boolean checkGlobs) {
    this.diagnostics = diagnostics;
    this.quotaNames = quotaNames;
    this.hookNames = hookNames;
    this.providers = providers;
    this.checkGlobs = checkGlobs;
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
      diagnostics.warning(path, entry.line(), "has no \"src\", so it applies to nobody; write "
          + "[\"*\"] for everyone");
    } else {
      sources = sources(src.value(), JsonPaths.member(path, "src"));
    }
    List<String> destinations = new ArrayList<>();
    JsonNode.Member dst = entry.members().get("dst");
    if (dst != null) destinations.addAll(strings(dst.value(), JsonPaths.member(path, "dst")));
    JsonNode.Member ip = entry.members().get("ip");
    if (ip != null) diagnostics.array(ip.value(), JsonPaths.member(path, "ip"));

    List<Grant.Capability> capabilities = new ArrayList<>();
    Map<String, List<@Nullable Object>> custom = new LinkedHashMap<>();
    JsonNode.Member app = entry.members().get("app");
    String appPath = JsonPaths.member(path, "app");
    JsonNode.ObjectNode appObject = app != null ? diagnostics.object(app.value(), appPath) : null;
    JsonNode.Member aperture = appObject != null
        ? appObject.members().get(Grant.CAPABILITY_KEY)
        : null;
    if (appObject != null) {
      for (JsonNode.Member other : appObject.members().values()) {
        if (other == aperture) continue;
        // A custom capability: kept as written for hooks that ask for "grants".
        List<@Nullable Object> values = new ArrayList<>();
        if (other.value() instanceof JsonNode.ArrayNode array) {
          for (JsonNode element : array.elements()) values.add(HooksParser.plain(element));
        } else {
          values.add(HooksParser.plain(other.value()));
        }
        custom.put(other.key(), values);
      }
    }
    if (aperture == null) {
      if (app == null) {
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
    return new Grant(sources, capabilities, custom, destinations);
  }

  private List<String> strings(JsonNode node, String path) {
    JsonNode.ArrayNode array = diagnostics.array(node, path);
    if (array == null) return List.of();
    List<String> result = new ArrayList<>();
    for (int i = 0; i < array.elements().size(); i++) {
      String value = diagnostics.string(array.elements().get(i), JsonPaths.element(path, i));
      if (value != null) result.add(value);
    }
    return result;
  }

  private List<String> sources(JsonNode node, String path) {
    JsonNode.ArrayNode array = diagnostics.array(node, path);
    if (array == null) return List.of();
    // An empty src is valid and applies to nobody (Aperture's default configuration has one).
    List<String> result = new ArrayList<>();
    for (int i = 0; i < array.elements().size(); i++) {
      JsonNode element = array.elements().get(i);
      String elementPath = JsonPaths.element(path, i);
      String source = diagnostics.string(element, elementPath);
      if (source == null) continue;
      String problem = sourceProblem(source);
      if (problem != null) {
        diagnostics.warning(elementPath, element.line(), problem);
      } else {
        result.add(source);
      }
    }
    return result;
  }

  /** Why {@code source} names nobody in the SDK (a warning), or null if it is a supported form. */
  static @Nullable String sourceProblem(String source) {
    if (source.isBlank()) {
      return "an empty source names nobody; use \"*\" for everyone";
    }
    if (ProvidersParser.containsWhitespace(source) || Diagnostics.hasControl(source)) {
      return "source " + Diagnostics.show(source) + " contains whitespace, so it names nobody";
    }
    if (source.equals("*") || source.equals("(loopback)")) return null;
    for (String prefix : List.of("group:", "tag:")) {
      if (source.startsWith(prefix)) {
        return source.length() == prefix.length()
            ? "source " + JsonPaths.quote(source) + " has no name after '" + prefix + "', so it names "
                + "nobody"
            : null;
      }
    }
    if (source.indexOf(':') >= 0 || source.startsWith("(")) {
      return "source " + Diagnostics.show(source) + " is not supported by the SDK (supported: \"*\", a "
          + "login, group:NAME, a SCIM group email, tag:NAME, \"(loopback)\"); it names nobody";
    }
    return null;
  }

  private Grant.@Nullable Capability capability(JsonNode node, String path) {
    int errorsBefore = diagnostics.errorCount();
    JsonNode.ObjectNode entry = diagnostics.object(node, path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, CAPABILITY_FIELDS, "capability field");
    Grant.Capability.Builder builder = Grant.Capability.builder();

    JsonNode.Member roleMember = entry.members().get("role");
    if (roleMember != null) {
      String rolePath = JsonPaths.member(path, "role");
      String role = diagnostics.string(roleMember.value(), rolePath);
      if (role != null && !ROLES.contains(role)) {
        diagnostics.error(rolePath, roleMember.value().line(), "unknown role " + Diagnostics.show(role)
            + "; allowed: user, admin");
      }
      builder.role(role);
    }

    JsonNode.Member modelsMember = entry.members().get("models");
    if (modelsMember != null) {
      String modelsPath = JsonPaths.member(path, "models");
      List<String> globs = new ArrayList<>();
      if (modelsMember.value() instanceof JsonNode.StringNode string) {
        String glob = glob(string.value(), modelsPath, string.line());
        if (glob != null) globs.add(glob);
      } else if (modelsMember.value() instanceof JsonNode.ArrayNode array) {
        if (array.elements().isEmpty()) {
          diagnostics.warning(modelsPath, array.line(), "is empty, so the capability grants no model");
        }
        for (int i = 0; i < array.elements().size(); i++) {
          JsonNode element = array.elements().get(i);
          String elementPath = JsonPaths.element(modelsPath, i);
          String text = diagnostics.string(element, elementPath);
          if (text == null) continue;
          String glob = glob(text, elementPath, element.line());
          if (glob != null) globs.add(glob);
        }
      } else {
        diagnostics.error(modelsPath, modelsMember.value().line(), "expected a glob string such as "
            + "\"openrouter/**\" (or an array of them), found "
            + Diagnostics.describe(modelsMember.value(), true));
      }
      // Not floating even if every glob was dropped: a bad glob must not widen where the rest applies.
      builder.models(globs);
    }

    JsonNode.Member quotasMember = entry.members().get("quotas");
    if (quotasMember != null) {
      String quotasPath = JsonPaths.member(path, "quotas");
      JsonNode.ArrayNode array = diagnostics.array(quotasMember.value(), quotasPath);
      List<String> buckets = new ArrayList<>();
      if (array != null) {
        for (int i = 0; i < array.elements().size(); i++) {
          String bucket = bucket(array.elements().get(i), JsonPaths.element(quotasPath, i));
          if (bucket != null) buckets.add(bucket);
        }
      }
      builder.quotaBuckets(buckets);
    }

    JsonNode.Member hooksMember = entry.members().get("send_hooks");
    if (hooksMember != null) {
      String hooksPath = JsonPaths.member(path, "send_hooks");
      JsonNode.ArrayNode array = diagnostics.array(hooksMember.value(), hooksPath);
      if (array != null) {
        for (int i = 0; i < array.elements().size(); i++) {
          AccessDecision.HookBinding binding = sendHook(array.elements().get(i),
              JsonPaths.element(hooksPath, i));
          if (binding != null) builder.addSendHook(binding);
        }
      }
    }

    JsonNode.Member headersMember = entry.members().get("add_headers");
    if (headersMember != null) {
      HeaderEntries.parse(headersMember.value(), JsonPaths.member(path, "add_headers"), diagnostics,
          null)
          .forEach(builder::addHeader);
    }

    if (diagnostics.errorCount() > errorsBefore) return null;
    return builder.build();
  }

  /**
   * {@code glob} unless it is malformed (then null after a warning: it could never match any name). A
   * well-formed glob that matches none of the configured models is kept with a warning: a provider added
   * in code may still serve it.
   */
  private @Nullable String glob(String glob, String path, int line) {
    String problem = malformed(glob);
    if (problem != null) {
      diagnostics.warning(path, line, "model glob " + Diagnostics.show(glob) + " " + problem
          + "; it is ignored");
      return null;
    }
    problem = matchesNothing(glob);
    if (problem != null) {
      diagnostics.warning(path, line, "model glob " + Diagnostics.show(glob) + " " + problem);
    }
    return glob;
  }

  /** Why {@code glob} can never match any {@code provider/model} name, or null. */
  private static @Nullable String malformed(String glob) {
    if (glob.isEmpty()) return "is empty";
    if (ProvidersParser.containsWhitespace(glob) || Diagnostics.hasControl(glob)) {
      return "contains whitespace, which no model name has";
    }
    String[] segments = glob.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) return "has an empty segment ('//' or a leading or trailing '/')";
      if (segment.contains("**") && !segment.equals("**")) {
        return "uses '**' inside a segment; '**' must be a whole segment (\"openrouter/**\")";
      }
    }
    return null;
  }

  /** Why {@code glob} matches none of the configured models, or null. */
  private @Nullable String matchesNothing(String glob) {
    if (!checkGlobs) return null;
    String first = glob.split("/", -1)[0];
    if (first.indexOf('*') < 0 && !providers.containsKey(first)) {
      return "starts with " + Diagnostics.show(first) + ", which is no configured provider id, so it "
          + "matches no configured model; globs match provider/model, such as \""
          + (providers.isEmpty() ? "openrouter" : providers.keySet().iterator().next()) + "/**\"";
    }
    dev.aperture.internal.ModelGlob compiled = new dev.aperture.internal.ModelGlob(glob);
    for (ProviderConfig provider : providers.values()) {
      for (String model : provider.models()) {
        if (compiled.matches(provider.id() + "/" + model)) return null;
      }
    }
    return "matches none of the configured models";
  }

  private @Nullable String bucket(JsonNode node, String path) {
    JsonNode.ObjectNode entry = diagnostics.object(node, path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, List.of("bucket"), "quota reference field");
    JsonNode.Member member = entry.members().get("bucket");
    if (member == null) {
      diagnostics.warning(path, entry.line(), "has no \"bucket\", the name of a quota; ignored");
      return null;
    }
    String bucketPath = JsonPaths.member(path, "bucket");
    String bucket = diagnostics.string(member.value(), bucketPath);
    if (bucket == null) return null;
    if (!quotaNames.contains(bucket)) {
      String suggestion = Suggestions.nearest(bucket, quotaNames);
      diagnostics.warning(bucketPath, member.value().line(), "quota bucket " + Diagnostics.show(bucket)
          + " is not defined in \"quotas\"; nothing is charged for it"
          + (suggestion != null ? "; did you mean " + JsonPaths.quote(suggestion) + "?" : ""));
      return null;
    }
    return bucket;
  }

  private AccessDecision.@Nullable HookBinding sendHook(JsonNode node, String path) {
    JsonNode.ObjectNode entry = diagnostics.object(node, path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, List.of("name", "events", "send"), "send_hooks field");
    JsonNode.Member nameMember = entry.members().get("name");
    if (nameMember == null) {
      diagnostics.warning(path, entry.line(), "has no \"name\", the key of a hook; ignored");
      return null;
    }
    String namePath = JsonPaths.member(path, "name");
    String name = diagnostics.string(nameMember.value(), namePath);
    if (name == null) return null;
    Set<AccessDecision.HookEvent> events = new LinkedHashSet<>();
    JsonNode.Member eventsMember = entry.members().get("events");
    if (eventsMember != null) {
      String eventsPath = JsonPaths.member(path, "events");
      List<String> texts = strings(eventsMember.value(), eventsPath);
      for (String text : texts) {
        AccessDecision.HookEvent event = AccessDecision.HookEvent.fromWireName(text);
        if (event == null) {
          diagnostics.warning(eventsPath, eventsMember.value().line(), "unknown event "
              + Diagnostics.show(text) + " ignored; events: pre_request, entire_request, "
              + "tool_call_entire_request");
        } else {
          events.add(event);
        }
      }
    }
    if (events.isEmpty()) {
      diagnostics.warning(path, entry.line(), "lists no event, so hook " + Diagnostics.show(name)
          + " never fires; add \"events\": [\"pre_request\"]");
    }
    Set<String> send = new LinkedHashSet<>();
    JsonNode.Member sendMember = entry.members().get("send");
    if (sendMember != null) {
      String sendPath = JsonPaths.member(path, "send");
      for (String text : strings(sendMember.value(), sendPath)) {
        if (!SEND_FIELDS.contains(text)) {
          diagnostics.warning(sendPath, sendMember.value().line(), "unknown send value "
              + Diagnostics.show(text) + " ignored; known: " + String.join(", ", SEND_FIELDS));
        } else {
          send.add(text);
        }
      }
    }
    if (!hookNames.contains(name)) {
      String suggestion = Suggestions.nearest(name, hookNames);
      diagnostics.warning(namePath, nameMember.value().line(), "hook " + Diagnostics.show(name)
          + " is not defined in \"hooks\"; nothing is sent"
          + (suggestion != null ? "; did you mean " + JsonPaths.quote(suggestion) + "?" : ""));
      return null;
    }
    return new AccessDecision.HookBinding(name, events, send);
  }
}
