package dev.aperture;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The provider rejected the credentials (HTTP 401): the key is missing, wrong or revoked. Not retryable. */
public final class AuthenticationException extends ProviderException {
  public AuthenticationException(String providerId, int statusCode, String message, boolean retryable,
      @Nullable Duration retryAfter, @Nullable String errorCode, String bodyExcerpt) {
    super(providerId, statusCode, message, retryable, retryAfter, errorCode, bodyExcerpt, null);
  }
}
