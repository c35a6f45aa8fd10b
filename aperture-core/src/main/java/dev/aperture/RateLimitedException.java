package dev.aperture;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The provider rate-limited the call (HTTP 429). Retryable; {@link #retryAfter()} says when, if the provider said. */
public final class RateLimitedException extends ProviderException {
  public RateLimitedException(String providerId, int statusCode, String message, boolean retryable,
      @Nullable Duration retryAfter, @Nullable String errorCode, String bodyExcerpt) {
    super(providerId, statusCode, message, retryable, retryAfter, errorCode, bodyExcerpt, null);
  }
}
