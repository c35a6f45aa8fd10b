package dev.aperture.config.internal;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.config.Authorization;
import dev.aperture.config.ProviderConfig;
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
      "type");

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

    String baseUrl = null;
    JsonNode baseUrlNode = value(fields, "baseurl");
    if (baseUrlNode == null) {
      diagnostics.error(path, member.line(), "missing required field \"baseurl\", the upstream root "
          + "such as \"https://openrouter.ai/api/\"");
    } else {
      baseUrl = baseUrl(baseUrlNode, JsonPaths.member(path, "baseurl"));
    }

    List<String> models = List.of();
    JsonNode modelsNode = value(fields, "models");
    if (modelsNode == null) {
      diagnostics.error(path, member.line(), "missing required field \"models\", the model names "
          + "this provider serves");
    } else {
      models = models(modelsNode, JsonPaths.member(path, "models"));
    }

    Authorization authorization = Authorization.BEARER;
    JsonNode authorizationNode = value(fields, "authorization");
    if (authorizationNode != null) {
      authorization = authorization(authorizationNode, JsonPaths.member(path, "authorization"));
    }

    ApiKey apiKey = apiKey(fields, path, id, member.line());

    Set<ApiFormat> compatibility = Set.of(ApiFormat.OPENAI_CHAT);
    JsonNode compatibilityNode = value(fields, "compatibility");
    if (compatibilityNode != null) {
      compatibility = compatibility(compatibilityNode, JsonPaths.member(path, "compatibility"));
    }

    List<ProviderConfig.Header> headers = List.of();
    JsonNode headersNode = value(fields, "add_headers");
    if (headersNode != null) {
      headers = headers(headersNode, JsonPaths.member(path, "add_headers"), authorization);
    }

    Integer preference = optional(fields, path, "preference", diagnostics::integer);
    Boolean disabled = optional(fields, path, "disabled", diagnostics::bool);
    String name = optional(fields, path, "name", diagnostics::string);
    String description = optional(fields, path, "description", diagnostics::string);
    String costBasis = optional(fields, path, "cost_basis", diagnostics::nonEmptyString);
    String type = optional(fields, path, "type", diagnostics::nonEmptyString);

    if (diagnostics.errorCount() > errorsBefore || baseUrl == null || compatibility == null) {
      return null;
    }
    return new ProviderConfig(id, type, baseUrl, models, apiKey, authorization, compatibility, headers,
        preference != null ? preference : 0, disabled != null && disabled, name, description, costBasis,
        path);
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
          + JsonPaths.quote(Diagnostics.abbreviate(scheme)));
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
      diagnostics.error(path, node.line(), "must list at least one model");
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
        diagnostics.error(elementPath, element.line(), "model name " + JsonPaths.quote(
            Diagnostics.abbreviate(model)) + " must not contain whitespace");
      } else {
        Integer previous = firstIndex.putIfAbsent(model, i);
        if (previous != null) {
          diagnostics.error(elementPath, element.line(), "duplicate model " + JsonPaths.quote(model)
              + ", already listed at models[" + previous + "]");
        } else {
          result.add(model);
        }
      }
    }
    return result;
  }

  private Authorization authorization(JsonNode node, String path) {
    String text = diagnostics.string(node, path);
    if (text == null) return Authorization.BEARER;
    Authorization result = Authorization.fromWireName(text);
    if (result == null) {
      diagnostics.error(path, node.line(), "unknown authorization " + JsonPaths.quote(
          Diagnostics.abbreviate(text)) + "; allowed values: " + Stream.of(Authorization.values())
          .map(Authorization::wireName).collect(Collectors.joining(", ")));
      return Authorization.BEARER;
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
    }
    if (text == null || text.isEmpty()) {
      diagnostics.warning(node == null ? path : keyPath, node == null ? line : node.line(),
          "no apikey; calls to this provider are sent without a key");
      return ApiKey.none();
    }
    return ApiKey.of(text);
  }

  private @Nullable Set<ApiFormat> compatibility(JsonNode node, String path) {
    JsonNode.ObjectNode block = diagnostics.object(node, path);
    if (block == null) return null;
    int errorsBefore = diagnostics.errorCount();
    List<String> known = Stream.of(ApiFormat.values()).map(ApiFormat::wireName).toList();
    Set<ApiFormat> enabled = EnumSet.noneOf(ApiFormat.class);
    for (JsonNode.Member flag : block.members().values()) {
      String flagPath = JsonPaths.member(path, flag.key());
      ApiFormat format = ApiFormat.fromWireName(flag.key());
      if (format == null) {
        String suggestion = Suggestions.nearest(flag.key(), known);
        diagnostics.error(flagPath, flag.line(), "unknown API format " + JsonPaths.quote(
            Diagnostics.abbreviate(flag.key())) + (suggestion != null
            ? "; did you mean " + JsonPaths.quote(suggestion) + "?"
            : "; known formats: " + String.join(", ", known)));
      }
      Boolean on = diagnostics.bool(flag.value(), flagPath);
      if (format != null && on != null && on) enabled.add(format);
    }
    if (diagnostics.errorCount() > errorsBefore) return null;
    if (enabled.isEmpty()) {
      diagnostics.error(path, node.line(), "enables no API format; set at least one flag to true, "
          + "such as \"openai_chat\": true");
      return null;
    }
    return enabled;
  }

  private List<ProviderConfig.Header> headers(JsonNode node, String path,
      Authorization authorization) {
    JsonNode.ArrayNode array = diagnostics.array(node, path, false);
    if (array == null) return List.of();
    List<ProviderConfig.Header> result = new ArrayList<>();
    for (int i = 0; i < array.elements().size(); i++) {
      JsonNode element = array.elements().get(i);
      String elementPath = JsonPaths.element(path, i);
      // Header values may be secrets: messages show at most the name.
      String text = diagnostics.string(element, elementPath, false);
      if (text == null) continue;
      int colon = text.indexOf(':');
      if (colon < 0) {
        diagnostics.error(elementPath, element.line(), "expected \"Name: value\", but there is no ':'");
        continue;
      }
      String name = text.substring(0, colon);
      String value = text.substring(colon + 1).strip();
      if (!isToken(name)) {
        diagnostics.error(elementPath, element.line(), "invalid header name " + JsonPaths.quote(
            Diagnostics.abbreviate(name)) + ": it must be a non-empty token (letters, digits and "
            + "!#$%&'*+-.^_`|~, no spaces)");
        continue;
      }
      if (!isFieldValue(value)) {
        diagnostics.error(elementPath, element.line(), "the value of header " + name
            + " contains a control or non-ASCII character; HTTP header values must be printable ASCII");
        continue;
      }
      if (name.equalsIgnoreCase(authorization.headerName())) {
        diagnostics.warning(elementPath, element.line(), "sets " + name + ", the header that "
            + "authorization " + JsonPaths.quote(authorization.wireName())
            + " sends the apikey in; put the key in apikey instead");
      }
      result.add(new ProviderConfig.Header(name, value));
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

  private static boolean isFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // Printable ASCII (and tab): what OkHttp and most servers accept on the wire.
      if ((c < 0x20 && c != '\t') || c >= 0x7f) return false;
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
