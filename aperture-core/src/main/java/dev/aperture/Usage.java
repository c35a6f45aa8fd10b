package dev.aperture;

import java.math.BigDecimal;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Token counts and cost of one call.
 *
 * @param cost what the call cost in the provider's unit (OpenRouter: credits, in US dollars), or null if
 *     the provider did not say
 * @param cachedTokens {@code prompt_tokens_details.cached_tokens}, 0 when absent
 * @param reasoningTokens {@code completion_tokens_details.reasoning_tokens}, 0 when absent
 * @param extra every other usage field as JSON-like values, including the full {@code *_details} objects
 */
public record Usage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    @Nullable BigDecimal cost,
    long cachedTokens,
    long reasoningTokens,
    Map<String, @Nullable Object> extra) {

  public Usage {
    extra = JsonValues.copyOfObject(extra, "usage");
  }

  public static Usage of(long promptTokens, long completionTokens) {
    return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, null, 0, 0, Map.of());
  }
}
