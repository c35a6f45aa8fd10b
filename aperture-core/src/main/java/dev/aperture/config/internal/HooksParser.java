package dev.aperture.config.internal;

import dev.aperture.config.Hook;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Validates {@code hooks}. Only {@code preference} and {@code failure_policy} are typed; the whole entry
 * is kept as JSON-like values for the version that runs hooks.
 */
final class HooksParser {
  static final List<String> FAILURE_POLICIES = List.of("fail_open", "fail_closed");

  private final Diagnostics diagnostics;

  HooksParser(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
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
    Integer preference = null;
    JsonNode.Member preferenceMember = entry.members().get("preference");
    if (preferenceMember != null) {
      preference = diagnostics.integer(preferenceMember.value(), JsonPaths.member(path, "preference"));
    }
    boolean failOpen = false;
    JsonNode.Member policyMember = entry.members().get("failure_policy");
    if (policyMember != null) {
      String policyPath = JsonPaths.member(path, "failure_policy");
      String policy = diagnostics.string(policyMember.value(), policyPath);
      if (policy != null && !FAILURE_POLICIES.contains(policy)) {
        diagnostics.error(policyPath, policyMember.value().line(), "unknown failure_policy "
            + JsonPaths.quote(Diagnostics.abbreviate(policy)) + "; allowed: fail_open, fail_closed");
      }
      failOpen = "fail_open".equals(policy);
    }
    if (diagnostics.errorCount() > errorsBefore) return null;
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> fields = (Map<String, @Nullable Object>) plain(entry);
    return new Hook(member.key(), preference != null ? preference : 0, failOpen, fields);
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
    BigDecimal value = number.value();
    return value;
  }
}
