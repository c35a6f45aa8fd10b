package dev.aperture.config.internal;

import dev.aperture.ApiKey;
import dev.aperture.config.Authorization;
import dev.aperture.config.Hook;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Validates {@code hooks}: {@code url}, {@code apikey}, {@code authorization}, {@code timeout},
 * {@code disabled}, {@code fail_policy}, {@code preference}. A hook without a usable URL or with an
 * unknown authorization is a warning and is kept but never called, as in Aperture.
 */
final class HooksParser {
  static final List<String> FIELDS = List.of("url", "apikey", "authorization", "timeout", "disabled",
      "fail_policy", "preference");
  static final List<String> FAIL_POLICIES = List.of("fail_open", "fail_closed");

  private final Diagnostics diagnostics;
  private final Function<String, @Nullable String> environment;

  HooksParser(Diagnostics diagnostics, Function<String, @Nullable String> environment) {
    this.diagnostics = diagnostics;
    this.environment = environment;
  }

  Map<String, Hook> parse(JsonNode.ObjectNode hooks, String path) {
    Map<String, Hook> result = new LinkedHashMap<>();
    for (JsonNode.Member member : hooks.members().values()) {
      Hook hook = hook(member, JsonPaths.member(path, member.key()));
      if (hook != null) result.put(hook.name(), hook);
    }
    return result;
  }

  private @Nullable Hook hook(JsonNode.Member member, String path) {
    int errorsBefore = diagnostics.errorCount();
    JsonNode.ObjectNode entry = diagnostics.object(member.value(), path);
    if (entry == null) return null;
    diagnostics.warnUnknownKeys(entry, path, FIELDS, "hook field");
    Map<String, JsonNode.Member> fields = entry.members();
    Hook.Builder builder = Hook.builder(member.key());
    List<String> unusable = new ArrayList<>();

    JsonNode.Member urlMember = fields.get("url");
    if (urlMember == null) {
      diagnostics.warning(path, member.line(), "no \"url\"; the hook is kept but never called");
      unusable.add("no url");
    } else {
      String urlPath = JsonPaths.member(path, "url");
      String url = diagnostics.string(urlMember.value(), urlPath, false);
      if (url != null) {
        String problem = urlProblem(url);
        if (problem != null) {
          diagnostics.warning(urlPath, urlMember.value().line(), problem + "; the hook is never called");
          unusable.add("invalid url");
        }
        builder.url(url);
      }
    }

    JsonNode.Member keyMember = fields.get("apikey");
    if (keyMember != null) {
      String keyPath = JsonPaths.member(path, "apikey");
      String text = diagnostics.string(keyMember.value(), keyPath, false);
      if (text != null) {
        text = EnvironmentSubstitution.resolve(text, keyPath, keyMember.value().line(), "hook "
            + JsonPaths.quote(member.key()), environment, diagnostics);
      }
      if (text != null && Diagnostics.hasControl(text)) {
        diagnostics.error(keyPath, keyMember.value().line(), "the key contains a control character "
            + "(CR, LF, …): it could inject headers into the hook request");
      } else if (text != null) {
        builder.apiKey(ApiKey.of(text));
      }
    }

    JsonNode.Member authorizationMember = fields.get("authorization");
    if (authorizationMember != null) {
      String authorizationPath = JsonPaths.member(path, "authorization");
      String text = diagnostics.string(authorizationMember.value(), authorizationPath);
      if (text != null) {
        Authorization authorization = Authorization.fromWireName(text);
        if (authorization == null) {
          diagnostics.warning(authorizationPath, authorizationMember.value().line(),
              "unknown authorization " + Diagnostics.show(text) + "; allowed values: "
                  + Stream.of(Authorization.values()).map(Authorization::wireName)
                  .collect(Collectors.joining(", ")) + "; the hook is never called");
          unusable.add("unknown authorization");
        } else {
          builder.authorization(authorization);
        }
      }
    }

    JsonNode.Member timeoutMember = fields.get("timeout");
    if (timeoutMember != null) {
      String timeoutPath = JsonPaths.member(path, "timeout");
      String text = diagnostics.string(timeoutMember.value(), timeoutPath);
      if (text != null) {
        Duration timeout = goDuration(text);
        if (timeout == null) {
          diagnostics.error(timeoutPath, timeoutMember.value().line(), "expected a duration such as "
              + "\"500ms\", \"5s\" or \"1m30s\" (\"0\" for none), found " + Diagnostics.show(text));
        } else {
          builder.timeout(timeout);
        }
      }
    }

    JsonNode.Member disabledMember = fields.get("disabled");
    if (disabledMember != null) {
      Boolean disabled = diagnostics.bool(disabledMember.value(), JsonPaths.member(path, "disabled"));
      if (disabled != null) builder.disabled(disabled);
    }

    JsonNode.Member policyMember = fields.get("fail_policy");
    if (policyMember != null) {
      String policyPath = JsonPaths.member(path, "fail_policy");
      String policy = diagnostics.string(policyMember.value(), policyPath);
      if (policy != null && !FAIL_POLICIES.contains(policy)) {
        diagnostics.error(policyPath, policyMember.value().line(), "unknown fail_policy "
            + Diagnostics.show(policy) + "; allowed: fail_open (the default), fail_closed");
      }
      builder.failClosed("fail_closed".equals(policy));
    }

    JsonNode.Member preferenceMember = fields.get("preference");
    if (preferenceMember != null) {
      Integer preference = diagnostics.integer(preferenceMember.value(),
          JsonPaths.member(path, "preference"));
      if (preference != null) builder.preference(preference);
    }

    if (diagnostics.errorCount() > errorsBefore) return null;
    if (!unusable.isEmpty()) builder.unusable(String.join("; ", unusable));
    return builder.build();
  }

  /** Why {@code url} cannot be a hook endpoint, or null. The URL is never quoted: it may hold credentials. */
  static @Nullable String urlProblem(String url) {
    if (url.isEmpty()) return "the url is empty";
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "not a valid URL: " + e.getReason() + " at index " + e.getIndex();
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return "the url must be http or https";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) return "the url has no valid host";
    return null;
  }

  /**
   * A Go duration ({@code 300ms}, {@code 1.5h}, {@code 1m30s}; units ns, us, µs, ms, s, m, h; {@code 0}
   * alone), or null if {@code text} is none or is negative.
   */
  static @Nullable Duration goDuration(String text) {
    if (text.equals("0")) return Duration.ZERO;
    if (text.isEmpty() || text.length() > 64) return null;
    BigDecimal totalNanos = BigDecimal.ZERO;
    int i = 0;
    if (text.charAt(0) == '+') i++;
    if (i == text.length()) return null;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) i++;
      String number = text.substring(start, i);
      if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
        return null;
      }
      int unitStart = i;
      while (i < text.length() && !Character.isDigit(text.charAt(i)) && text.charAt(i) != '.') i++;
      long unitNanos = switch (text.substring(unitStart, i)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> -1L;
      };
      if (unitNanos < 0) return null;
      totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
    }
    if (totalNanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) return null;
    return Duration.ofNanos(totalNanos.longValue());
  }

  /** The node as String, Long or BigDecimal, Boolean, null, List or Map, all unmodifiable. */
  static @Nullable Object plain(JsonNode node) {
    if (node instanceof JsonNode.StringNode string) return string.value();
    if (node instanceof JsonNode.BooleanNode bool) return bool.value();
    if (node instanceof JsonNode.NullNode) return null;
    if (node instanceof JsonNode.NumberNode number) return number(number);
    if (node instanceof JsonNode.ArrayNode array) {
      List<@Nullable Object> result = new ArrayList<>(array.elements().size());
      for (JsonNode element : array.elements()) result.add(plain(element));
      return Collections.unmodifiableList(result);
    }
    JsonNode.ObjectNode object = (JsonNode.ObjectNode) node;
    Map<String, @Nullable Object> result = new LinkedHashMap<>();
    for (JsonNode.Member member : object.members().values()) result.put(member.key(), plain(member.value()));
    return Collections.unmodifiableMap(result);
  }

  /** A Long for an integer literal that fits; otherwise the exact BigDecimal. */
  private static Object number(JsonNode.NumberNode number) {
    String text = number.text();
    boolean integerLiteral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    if (integerLiteral && text.length() <= 20) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        // Beyond long: keep it exact.
      }
    }
    return number.value();
  }
}
