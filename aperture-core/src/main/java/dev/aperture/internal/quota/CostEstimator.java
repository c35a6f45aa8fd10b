package dev.aperture.internal.quota;

import dev.aperture.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * What a call is expected to cost, in nanodollars: the amount {@link QuotaGate} reserves when it admits
 * the call, before the actual cost is known.
 *
 * <h2>The estimate</h2>
 * <ol>
 *   <li>With the model's {@linkplain Price price} and {@code max_tokens} (or {@code max_completion_tokens})
 *       set: {@code prompt price × prompt tokens + completion price × max_tokens}, rounded up. It is an
 *       upper bound for everything but the prompt heuristic's error.
 *   <li>Otherwise, the recent average actual cost of this model's calls (an exponentially weighted mean,
 *       each new call weighing 1/8), or, when a price is known, the prompt's cost if that is larger
 *       (the prompt is always paid for).
 *   <li>Otherwise 0. Never the context window's worst case, which would refuse nearly every call.
 * </ol>
 *
 * <p>Prompt tokens are estimated from the request body: every string in {@code messages} and
 * {@code tools} counts its characters, and tokens are {@code ceil(chars / 4)} (the usual English-text
 * ratio) plus 4 per message (role and framing) plus 3 (the reply's priming); an inline {@code data:} URL
 * (an image or file) counts {@value #INLINE_DATA_TOKENS} tokens instead of its base64 characters.
 *
 * <h2>The slack this leaves</h2>
 * Admission checks each bucket's balance less the estimates of the calls in flight. A call that costs
 * more than its estimate can therefore take a bucket lower than the gate planned for. Exactly: when a
 * call {@code k} is admitted, the calls then in flight ({@code F}) reserved {@code e_j} each and will be
 * charged {@code a_j}; the total ever charged up to {@code k}'s settlement is at most
 * <pre>  capacity − 1 + a_k + Σ_{j ∈ F} max(0, a_j − e_j)</pre>
 * (plus refills). The {@code a_k} term is Aperture's own rule (a call admitted while the bucket is
 * positive is charged in full, so sequential calls can end one call's cost below zero, as in Aperture);
 * the sum is the concurrency slack: N concurrent calls take a bucket below zero by at most the sum of
 * their underestimates, never by the sum of their costs as a check-then-charge gate allows.
 *
 * <p>Thread-safe.
 */
public final class CostEstimator {
  /** Tokens an inline {@code data:} URL (an image, audio or a file) is counted as. */
  static final int INLINE_DATA_TOKENS = 1_000;
  private static final int TOKENS_PER_MESSAGE = 4;
  private static final int REPLY_PRIMING_TOKENS = 3;
  /** No sample yet. */
  private static final long NONE = Long.MIN_VALUE;
  private static final BigDecimal NANOS_PER_DOLLAR = BigDecimal.valueOf(Money.NANOS_PER_DOLLAR);

  private final ConcurrentHashMap<String, AtomicLong> averages = new ConcurrentHashMap<>();

  /**
   * A model's price in US dollars per token (OpenRouter's catalog {@code pricing.prompt} and
   * {@code pricing.completion}, or a {@code model_cost_map} entry).
   */
  public record Price(BigDecimal promptPerToken, BigDecimal completionPerToken) {
    /** Dollars per token, as plain decimals. */
    @Override
    public String toString() {
      return "Price{prompt=" + promptPerToken.toPlainString() + ", completion=" + completionPerToken.toPlainString() + "}";
    }

    public Price {
      Objects.requireNonNull(promptPerToken, "promptPerToken == null");
      Objects.requireNonNull(completionPerToken, "completionPerToken == null");
      if (promptPerToken.signum() < 0 || completionPerToken.signum() < 0) {
        throw new IllegalArgumentException("a price must not be negative");
      }
    }
  }

  /**
   * The estimate for a call to {@code model} with this request body (a chat-completions body as JSON-like
   * values).
   *
   * @param model the key recent costs are kept under ({@code provider/model})
   * @param price the model's price, or null if unknown
   */
  public long estimate(String model, @Nullable Price price, Map<String, ? extends @Nullable Object> requestBody) {
    Long maxTokens = maxTokens(requestBody);
    long promptTokens = price != null ? promptTokens(requestBody) : 0;
    return estimate(model, price, promptTokens, maxTokens);
  }

  /** The estimate from a prompt's size in tokens and its {@code max_tokens} (null when unset). */
  public long estimate(String model, @Nullable Price price, long promptTokens, @Nullable Long maxTokens) {
    long recent = recentAverage(model);
    if (price == null) return Math.max(recent, 0);
    BigDecimal dollars = price.promptPerToken().multiply(BigDecimal.valueOf(Math.max(promptTokens, 0)));
    if (maxTokens != null) {
      dollars = dollars.add(price.completionPerToken().multiply(BigDecimal.valueOf(Math.max(maxTokens, 0))));
      return toNanosRoundingUp(dollars);
    }
    return Math.max(recent, toNanosRoundingUp(dollars));
  }

  /** Records what a call to {@code model} actually cost, for estimates of calls without max_tokens. */
  public void record(String model, long actualNanos) {
    if (actualNanos < 0) return;
    averages.computeIfAbsent(model, m -> new AtomicLong(NONE))
        .updateAndGet(avg -> avg == NONE ? actualNanos : avg + Math.floorDiv(actualNanos - avg + 4, 8));
  }

  /** The recent average actual cost of {@code model}'s calls; 0 when none was recorded. */
  public long recentAverage(String model) {
    AtomicLong average = averages.get(model);
    if (average == null) return 0;
    long value = average.get();
    return value == NONE ? 0 : value;
  }

  /** The prompt's size in tokens, by the heuristic in the class documentation. */
  public static long promptTokens(Map<String, ? extends @Nullable Object> requestBody) {
    Counter counter = new Counter();
    Object messages = requestBody.get("messages");
    if (messages instanceof List<?> list) {
      counter.tokens += (long) TOKENS_PER_MESSAGE * list.size();
      counter.walk(list);
    }
    Object tools = requestBody.get("tools");
    if (tools != null) counter.walk(tools);
    return counter.tokens + (counter.chars + 3) / 4 + REPLY_PRIMING_TOKENS;
  }

  private static @Nullable Long maxTokens(Map<String, ? extends @Nullable Object> requestBody) {
    Object value = requestBody.get("max_tokens");
    if (!(value instanceof Number)) value = requestBody.get("max_completion_tokens");
    if (value instanceof Number number && number.longValue() > 0) return number.longValue();
    return null;
  }

  private static long toNanosRoundingUp(BigDecimal dollars) {
    BigDecimal nanos = dollars.multiply(NANOS_PER_DOLLAR).setScale(0, RoundingMode.CEILING);
    return nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : nanos.longValueExact();
  }

  private static final class Counter {
    long chars;
    long tokens;

    void walk(@Nullable Object value) {
      if (value instanceof String text) {
        if (text.startsWith("data:")) {
          tokens += INLINE_DATA_TOKENS;
        } else {
          chars += text.length();
        }
      } else if (value instanceof Map<?, ?> map) {
        for (Object element : map.values()) walk(element);
      } else if (value instanceof List<?> list) {
        for (Object element : list) walk(element);
      }
    }
  }
}
