package dev.aperture;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The account has too few credits for the call (HTTP 402 on OpenRouter). Not retryable. */
public final class InsufficientCreditsException extends ProviderException {
  public InsufficientCreditsException(String providerId, int statusCode, String message, boolean retryable,
      @Nullable Duration retryAfter, @Nullable String errorCode, String bodyExcerpt) {
    super(providerId, statusCode, message, retryable, retryAfter, errorCode, bodyExcerpt, null);
  }
}
