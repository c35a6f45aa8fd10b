package dev.aperture.internal.hooks;

import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.HookCallData;
import dev.aperture.Money;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds Aperture's {@code HookCallData} exactly as its webhook protocol defines it
 * ({@code docs/protocol-reference.md} of {@code tailscale/aperture-recipes}):
 *
 * <ul>
 *   <li>{@code metadata} always, with all nine strings ({@code login_name}, {@code user_agent}, {@code url},
 *       {@code model}, {@code provider}, {@code tailnet_name}, {@code stable_node_id}, {@code request_id},
 *       {@code session_id}), empty when unknown;
 *   <li>per {@code send} value: {@code request_body}; {@code user_message} (the text of the last user
 *       message, its text parts joined by newlines; empty if none); {@code grants} →
 *       {@code metadata.grants} (custom capabilities, {@code {}} if none); {@code estimated_cost} →
 *       {@code metadata.estimated_cost} (left out when no cost is known); {@code quotas} →
 *       {@code metadata.quotas} (by bucket: {@code current} and {@code capacity} in nanodollars,
 *       {@code rate} as text such as {@code $5.00/day});
 *   <li>response-side values only for post-response events: {@code response_body}, {@code raw_responses}
 *       (the response body alone when the call did not stream), {@code tools} → {@code tool_calls}.
 * </ul>
 * Unknown {@code send} values are ignored.
 */
public final class HookPayloads {
  private HookPayloads() {
  }

  /**
   * The data for one hook.
   *
   * @param send the hook's unioned {@code send} list
   * @param requestBody the body as this hook is to see it (for {@code pre_request}, the previous hooks'
   *     modifications applied)
   */
  public static HookCallData build(HookEvent event, Set<String> send, HookContext context,
      Map<String, @Nullable Object> requestBody) {
    boolean postResponse = event != HookEvent.PRE_REQUEST;
    Map<String, @Nullable Object> metadata = new LinkedHashMap<>();
    metadata.put("login_name", context.caller().login());
    metadata.put("user_agent", context.options().userAgent());
    metadata.put("url", context.options().url());
    metadata.put("model", context.model());
    metadata.put("provider", context.provider());
    metadata.put("tailnet_name", context.caller().tailnet());
    metadata.put("stable_node_id", context.caller().node());
    metadata.put("request_id", context.requestId());
    metadata.put("session_id", context.options().sessionId());
    if (send.contains("grants")) metadata.put("grants", new LinkedHashMap<>(context.customCapabilities()));
    HookContext.Cost cost = context.estimatedCost();
    if (send.contains("estimated_cost") && cost != null) metadata.put("estimated_cost", costEstimate(cost));
    if (send.contains("quotas")) metadata.put("quotas", quotas(context.quotas()));

    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    json.put("metadata", metadata);
    if (send.contains("request_body")) json.put("request_body", requestBody);
    if (send.contains("user_message")) json.put("user_message", lastUserMessage(requestBody));
    if (postResponse) {
      Map<String, @Nullable Object> response = context.responseBody();
      if (send.contains("response_body")) json.put("response_body", response);
      if (send.contains("raw_responses")) {
        List<@Nullable Object> raw = context.rawResponses();
        json.put("raw_responses", raw != null ? raw : response != null ? List.of(response) : List.of());
      }
      if (send.contains("tools")) json.put("tool_calls", toolCalls(context.toolCalls()));
    }
    return new HookCallData(event, json);
  }

  /** The text of the last {@code user} message of a chat-completions body; empty if there is none. */
  static String lastUserMessage(Map<String, @Nullable Object> requestBody) {
    if (!(requestBody.get("messages") instanceof List<?> messages)) return "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof Map<?, ?> message && "user".equals(message.get("role"))) {
        return text(message.get("content"));
      }
    }
    return "";
  }

  private static String text(@Nullable Object content) {
    if (content instanceof String text) return text;
    if (!(content instanceof List<?> parts)) return "";
    StringBuilder result = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof Map<?, ?> map && "text".equals(map.get("type")) && map.get("text") instanceof String t) {
        if (result.length() > 0) result.append('\n');
        result.append(t);
      }
    }
    return result.toString();
  }

  private static Map<String, @Nullable Object> costEstimate(HookContext.Cost cost) {
    Map<String, @Nullable Object> usage = new LinkedHashMap<>();
    putIfPositive(usage, "input_tokens", cost.inputTokens());
    putIfPositive(usage, "output_tokens", cost.outputTokens());
    putIfPositive(usage, "cached_tokens", cost.cachedTokens());
    putIfPositive(usage, "reasoning_tokens", cost.reasoningTokens());
    Map<String, @Nullable Object> estimate = new LinkedHashMap<>();
    estimate.put("dollars", BigDecimal.valueOf(cost.nanos(), 9).stripTrailingZeros());
    estimate.put("cost_basis", cost.costBasis());
    estimate.put("usage", usage);
    return estimate;
  }

  private static void putIfPositive(Map<String, @Nullable Object> map, String name, long value) {
    if (value > 0) map.put(name, value);
  }

  private static Map<String, @Nullable Object> quotas(List<QuotaBalance> balances) {
    Map<String, @Nullable Object> result = new LinkedHashMap<>();
    for (QuotaBalance balance : balances) {
      Map<String, @Nullable Object> state = new LinkedHashMap<>();
      state.put("current", balance.balanceNanos());
      state.put("capacity", balance.bucket().capacityNanos());
      state.put("rate", rate(balance.bucket()));
      result.put(balance.bucket().name(), state);
    }
    return result;
  }

  /** Aperture's rate text: {@code $5.00/day}; a period without a unit name in seconds ({@code /90s}). */
  static String rate(QuotaBucket bucket) {
    Duration period = bucket.ratePeriod();
    String unit;
    if (period.equals(Duration.ofMinutes(1))) {
      unit = "min";
    } else if (period.equals(Duration.ofHours(1))) {
      unit = "hour";
    } else if (period.equals(Duration.ofDays(1))) {
      unit = "day";
    } else if (period.equals(Duration.ofDays(7))) {
      unit = "week";
    } else if (period.equals(Duration.ofDays(30))) {
      unit = "month";
    } else {
      BigDecimal seconds = BigDecimal.valueOf(period.toNanos(), 9).stripTrailingZeros();
      unit = seconds.toPlainString() + "s";
    }
    return Money.format(bucket.rateNanos()) + "/" + unit;
  }

  private static List<@Nullable Object> toolCalls(List<ToolUse> uses) {
    List<@Nullable Object> result = new ArrayList<>(uses.size());
    for (ToolUse use : uses) {
      Map<String, @Nullable Object> entry = new LinkedHashMap<>();
      entry.put("name", use.name());
      entry.put("params", use.params());
      result.add(entry);
    }
    return result;
  }
}
