package dev.aperture;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One choice of a {@link ChatResponse}.
 *
 * @param finishReason why it stopped, an open value; null if the provider did not say
 * @param nativeFinishReason the upstream model's own finish reason, as OpenRouter reports it
 * @param extra every other field of the choice (such as {@code logprobs}) as JSON-like values
 */
public record Choice(
    int index,
    Message message,
    @Nullable FinishReason finishReason,
    @Nullable String nativeFinishReason,
    Map<String, @Nullable Object> extra) {

  public Choice {
    Objects.requireNonNull(message, "message == null");
    extra = JsonValues.copyOfObject(extra, "choice");
  }
}
