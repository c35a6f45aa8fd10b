package dev.aperture.config.internal;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.config.Authorization;
import dev.aperture.config.ProviderConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Validates {@code providers} into {@link ProviderConfig}s, in file order. */
final class ProvidersParser {
  static final List<String> FIELDS = List.of("baseurl", "models", "apikey", "authorization",
      "compatibility", "add_headers", "preference", "disabled", "name", "description", "cost_basis",
      "model_cost_map", "type");

  /** {@code cost_basis} values: Aperture's price tables. */
  static final List<String> COST_BASES = List.of("anthropic", "openai", "google", "vertex", "bedrock",
      "bedrock-us", "bedrock-eu", "bedrock-ap", "azure", "azure-eu", "openrouter", "vercel");

  /** Compatibility flags: the API formats, plus flags that select no format of their own. */
  static final List<String> COMPATIBILITY_FLAGS = Stream.concat(
      Stream.of(ApiFormat.values()).map(ApiFormat::wireName),
      Stream.of("experimental_gemini_cli_vertex_compat")).toList();

  private final Diagnostics diagnostics;
  private final Function<String, @Nullable String> environment;

  ProvidersParser(Diagnostics diagnostics, Function<String, @Nullable String> environment) {
    this.diagnostics = diagnostics;
    this.environment = environment;
  }

  Map<String, ProviderConfig> parse(JsonNode.ObjectNode providers, String path) {
    Map<String, ProviderConfig> result = new LinkedHashMap<>();
    if (providers.members().isEmpty()) {
      diagnostics.warning(path, providers.line(), "no providers are configured; no model will route");
    }
    for (JsonNode.Member member : providers.members().values()) {
      ProviderConfig provider = provider(member, JsonPaths.member(path, member.key()));
      if (provider != null) result.put(provider.id(), provider);
    }
    return result;
  }

  private @Nullable ProviderConfig provider(JsonNode.Member member, String path) {
    int errorsBefore = diagnostics.errorCount();
    String id = member.key();
    checkId(id, path, member.line());
    JsonNode.ObjectNode entry = diagnostics.object(member.value(), path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, FIELDS, "provider field");
    Map<String, JsonNode.Member> fields = entry.members();
    ProviderConfig.Builder builder = ProviderConfig.builder(id).path(path);
    List<String> unusable = new ArrayList<>();

    JsonNode baseUrlNode = value(fields, "baseurl");
    if (baseUrlNode == null) {
      diagnostics.warning(path, member.line(), "no \"baseurl\", the upstream root such as "
          + "\"https://openrouter.ai/api/\"; the provider is kept but cannot route");
      unusable.add("no baseurl");
    } else {
      String baseUrl = baseUrl(baseUrlNode, JsonPaths.member(path, "baseurl"));
      if (baseUrl != null) builder.baseUrl(baseUrl);
    }

    JsonNode modelsNode = value(fields, "models");
    if (modelsNode == null) {
      diagnostics.error(path, member.line(), "missing required field \"models\", the model names "
          + "this provider serves");
    } else {
      builder.models(models(modelsNode, JsonPaths.member(path, "models")));
    }

    Authorization authorization = Authorization.BEARER;
    JsonNode authorizationNode = value(fields, "authorization");
    if (authorizationNode != null) {
      String authorizationPath = JsonPaths.member(path, "authorization");
      String text = diagnostics.string(authorizationNode, authorizationPath);
      if (text != null) {
        Authorization parsed = Authorization.fromWireName(text);
        if (parsed == null) {
          diagnostics.warning(authorizationPath, authorizationNode.line(), "unknown authorization "
              + Diagnostics.show(text) + "; allowed values: " + Stream.of(Authorization.values())
              .map(Authorization::wireName).collect(Collectors.joining(", "))
              + "; the provider is kept but cannot route");
          unusable.add("unknown authorization");
        } else {
          authorization = parsed;
        }
      }
    }
    builder.authorization(authorization);
    builder.apiKey(apiKey(fields, path, id, member.line()));

    JsonNode compatibilityNode = value(fields, "compatibility");
    if (compatibilityNode != null) {
      compatibility(compatibilityNode, JsonPaths.member(path, "compatibility"), builder, unusable);
    }

    JsonNode headersNode = value(fields, "add_headers");
    if (headersNode != null) {
      String headersPath = JsonPaths.member(path, "add_headers");
      List<ProviderConfig.Header> headers = HeaderEntries.parse(headersNode, headersPath, diagnostics,
          authorization);
      builder.addHeaders(headers);
    }

    Integer preference = optional(fields, path, "preference", diagnostics::integer);
    if (preference != null) builder.preference(preference);
    Boolean disabled = optional(fields, path, "disabled", diagnostics::bool);
    if (disabled != null) builder.disabled(disabled);
    builder.name(optional(fields, path, "name", diagnostics::string));
    builder.description(optional(fields, path, "description", diagnostics::string));
    JsonNode costBasisNode = value(fields, "cost_basis");
    if (costBasisNode != null) {
      String costBasisPath = JsonPaths.member(path, "cost_basis");
      String costBasis = diagnostics.nonEmptyString(costBasisNode, costBasisPath);
      if (costBasis != null && !COST_BASES.contains(costBasis)) {
        String suggestion = Suggestions.nearest(costBasis, COST_BASES);
        diagnostics.warning(costBasisPath, costBasisNode.line(), "unknown cost_basis "
            + Diagnostics.show(costBasis) + (suggestion != null ? "; did you mean "
            + JsonPaths.quote(suggestion) + "?" : "; known: " + String.join(", ", COST_BASES)));
      }
      builder.costBasis(costBasis);
    }
    JsonNode costMapNode = value(fields, "model_cost_map");
    if (costMapNode != null) {
      builder.modelCostMap(costMap(costMapNode, JsonPaths.member(path, "model_cost_map")));
    }
    builder.type(optional(fields, path, "type", diagnostics::nonEmptyString));

    if (diagnostics.errorCount() > errorsBefore) return null;
    if (!unusable.isEmpty()) builder.unusable(String.join("; ", unusable));
    return builder.build();
  }

  private void checkId(String id, String path, int line) {
    if (id.isEmpty()) {
      diagnostics.error(path, line, "a provider id must not be empty");
    } else if (id.indexOf('/') >= 0) {
      diagnostics.error(path, line, "a provider id must not contain '/': models are asked for as "
          + "<provider id>/<model>");
    } else if (containsWhitespace(id)) {
      diagnostics.error(path, line, "a provider id must not contain whitespace");
    }
  }

  private @Nullable String baseUrl(JsonNode node, String path) {
    String text = diagnostics.string(node, path);
    if (text == null) return null;
    // The URL is not echoed: it may carry user info.
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      diagnostics.error(path, node.line(), "not a valid URL: " + e.getReason() + " at index "
          + e.getIndex());
      return null;
    }
    String scheme = uri.getScheme();
    if (scheme == null || !uri.isAbsolute()) {
      diagnostics.error(path, node.line(), "must be an absolute http or https URL, such as "
          + "\"https://openrouter.ai/api/\"");
      return null;
    }
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      diagnostics.error(path, node.line(), "the scheme must be http or https, found "
          + Diagnostics.show(scheme));
      return null;
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      diagnostics.error(path, node.line(), "the URL has no valid host");
      return null;
    }
    return text;
  }

  private List<String> models(JsonNode node, String path) {
    JsonNode.ArrayNode array = diagnostics.array(node, path);
    if (array == null) return List.of();
    if (array.elements().isEmpty()) {
      diagnostics.warning(path, node.line(), "lists no model; the provider serves nothing");
      return List.of();
    }
    List<String> result = new ArrayList<>();
    Map<String, Integer> firstIndex = new LinkedHashMap<>();
    for (int i = 0; i < array.elements().size(); i++) {
      JsonNode element = array.elements().get(i);
      String elementPath = JsonPaths.element(path, i);
      String model = diagnostics.string(element, elementPath);
      if (model == null) continue;
      if (model.isEmpty()) {
        diagnostics.error(elementPath, element.line(), "a model name must not be empty");
      } else if (containsWhitespace(model)) {
        diagnostics.error(elementPath, element.line(), "model name " + Diagnostics.show(model) + " must not contain whitespace");
      } else {
        Integer previous = firstIndex.putIfAbsent(model, i);
        if (previous != null) {
          diagnostics.warning(elementPath, element.line(), "duplicate model " + Diagnostics.show(model)
              + ", already listed at models[" + previous + "]");
        } else {
          result.add(model);
        }
      }
    }
    return result;
  }

  private ApiKey apiKey(Map<String, JsonNode.Member> fields, String path, String id, int line) {
    JsonNode node = value(fields, "apikey");
    String keyPath = JsonPaths.member(path, "apikey");
    String text = null;
    if (node != null) {
      text = diagnostics.string(node, keyPath, false);
      if (text == null) return ApiKey.none();
      text = EnvironmentSubstitution.resolve(text, keyPath, node.line(), "provider "
          + JsonPaths.quote(id), environment, diagnostics);
      if (text == null) return ApiKey.none();
      if (Diagnostics.hasControl(text)) {
        diagnostics.error(keyPath, node.line(), "the key contains a control character (CR, LF, …): it "
            + "could inject headers into every upstream request");
        return ApiKey.none();
      }
    }
    if (text == null || text.isEmpty()) {
      diagnostics.warning(node == null ? path : keyPath, node == null ? line : node.line(),
          "no apikey; calls to this provider are sent without a key");
      return ApiKey.none();
    }
    ApiKey key = ApiKey.of(text);
    if (key.isKeyfile() && key.revealKeyfile() == null) {
      diagnostics.warning(keyPath, node.line(), "the keyfile:: form needs base64 after the prefix; "
          + "this is not valid base64 (" + text.length() + " chars)");
    }
    return key;
  }

  /**
   * Reads {@code compatibility}: every known flag, on or off. {@code openai_chat} is on unless another
   * flag is enabled (Aperture's rule); an unknown flag is a warning.
   */
  private void compatibility(JsonNode node, String path, ProviderConfig.Builder builder,
      List<String> unusable) {
    JsonNode.ObjectNode block = diagnostics.object(node, path);
    if (block == null) return;
    Map<String, Boolean> flags = new LinkedHashMap<>();
    Set<ApiFormat> enabled = EnumSet.noneOf(ApiFormat.class);
    boolean anyOn = false;
    for (JsonNode.Member flag : block.members().values()) {
      String flagPath = JsonPaths.member(path, flag.key());
      Boolean on = diagnostics.bool(flag.value(), flagPath);
      if (!COMPATIBILITY_FLAGS.contains(flag.key())) {
        String suggestion = Suggestions.nearest(flag.key(), COMPATIBILITY_FLAGS);
        diagnostics.warning(flagPath, flag.line(), "unknown compatibility flag "
            + Diagnostics.show(flag.key()) + " ignored" + (suggestion != null
            ? "; did you mean " + JsonPaths.quote(suggestion) + "?"
            : "; known flags: " + String.join(", ", COMPATIBILITY_FLAGS)));
        continue;
      }
      if (on == null) continue;
      flags.put(flag.key(), on);
      ApiFormat format = ApiFormat.fromWireName(flag.key());
      if (on) {
        anyOn = true;
        if (format != null) enabled.add(format);
      }
    }
    if (!anyOn && !Boolean.FALSE.equals(flags.get("openai_chat"))) {
      // Nothing else is on: openai_chat stays on, as in Aperture.
      enabled.add(ApiFormat.OPENAI_CHAT);
      flags.put("openai_chat", true);
    } else if (!anyOn) {
      diagnostics.warning(path, node.line(), "enables no API format; no call can be routed to this "
          + "provider. Set a flag to true, such as \"openai_chat\": true");
      unusable.add("no API format enabled");
    }
    builder.compatibility(enabled).compatibilityFlags(flags);
  }

  private List<ProviderConfig.CostMapping> costMap(JsonNode node, String path) {
    JsonNode.ArrayNode array = diagnostics.array(node, path);
    if (array == null) return List.of();
    List<ProviderConfig.CostMapping> result = new ArrayList<>();
    for (int i = 0; i < array.elements().size(); i++) {
      String entryPath = JsonPaths.element(path, i);
      JsonNode.ObjectNode entry = diagnostics.object(array.elements().get(i), entryPath);
      if (entry == null) continue;
      diagnostics.warnUnknownKeys(entry, entryPath, List.of("match", "as", "adjustment"),
          "model_cost_map field");
      String match = optional(entry.members(), entryPath, "match", diagnostics::nonEmptyString);
      String as = optional(entry.members(), entryPath, "as", diagnostics::nonEmptyString);
      BigDecimal adjustment = BigDecimal.ONE;
      JsonNode adjustmentNode = value(entry.members(), "adjustment");
      if (adjustmentNode != null) {
        String adjustmentPath = JsonPaths.member(entryPath, "adjustment");
        if (adjustmentNode instanceof JsonNode.NumberNode number && number.value().signum() >= 0) {
          adjustment = number.value();
        } else if (adjustmentNode instanceof JsonNode.NumberNode) {
          diagnostics.error(adjustmentPath, adjustmentNode.line(), "the adjustment must not be negative");
        } else {
          diagnostics.error(adjustmentPath, adjustmentNode.line(), "expected a number (a multiplier "
              + "such as 1.1), found " + Diagnostics.describe(adjustmentNode, true));
        }
      }
      if (match == null || as == null) {
        if (!entry.members().containsKey("match") || !entry.members().containsKey("as")) {
          diagnostics.warning(entryPath, entry.line(), "needs both \"match\" (a model glob) and "
              + "\"as\" (the model to price it as); entry ignored");
        }
        continue;
      }
      result.add(new ProviderConfig.CostMapping(match, as, adjustment));
    }
    return result;
  }

  /** RFC 7230 token: the characters a header name may use. */
  static boolean isToken(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) return false;
    }
    return true;
  }

  static boolean containsWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i))) return true;
    }
    return false;
  }

  private static @Nullable JsonNode value(Map<String, JsonNode.Member> fields, String key) {
    JsonNode.Member member = fields.get(key);
    return member != null ? member.value() : null;
  }

  private interface Read<T> {
    @Nullable T read(JsonNode node, String path);
  }

  private static <T> @Nullable T optional(Map<String, JsonNode.Member> fields, String path, String key,
      Read<T> read) {
    JsonNode node = value(fields, key);
    return node != null ? read.read(node, JsonPaths.member(path, key)) : null;
  }
}
