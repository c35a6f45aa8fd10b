package dev.aperture;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A provider failed the call: an HTTP error status, an error object in a 200 body, a malformed body, or a
 * connection failure. Subtypes name the cases callers act on: {@link RateLimitedException},
 * {@link AuthenticationException}, {@link InsufficientCreditsException}, {@link ModerationException},
 * {@link ProviderConnectionException}, {@link StreamException}.
 *
 * <p>The message and {@link #bodyExcerpt()} never contain the API key.
 */
public class ProviderException extends ApertureException {
  /** At most this many characters of an error body are kept. */
  public static final int MAX_EXCERPT = 500;

  private final String providerId;
  private final int statusCode;
  private final boolean retryable;
  private final @Nullable Duration retryAfter;
  private final @Nullable String errorCode;
  private final String bodyExcerpt;

  public ProviderException(String providerId, int statusCode, String message, boolean retryable,
      @Nullable Duration retryAfter, @Nullable String errorCode, String bodyExcerpt,
      @Nullable Throwable cause) {
    super(message, cause);
    this.providerId = providerId;
    this.statusCode = statusCode;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.errorCode = errorCode;
    this.bodyExcerpt = excerpt(bodyExcerpt);
  }

  /** Shortens {@code body} to at most {@link #MAX_EXCERPT} characters. */
  public static String excerpt(String body) {
    String trimmed = body.strip();
    return trimmed.length() <= MAX_EXCERPT ? trimmed : trimmed.substring(0, MAX_EXCERPT) + "…";
  }

  /** The id of the configured provider that failed. */
  public String providerId() {
    return providerId;
  }

  /** The HTTP status, or 0 when there was no response (connection failure) or the status was 200. */
  public int statusCode() {
    return statusCode;
  }

  /** Whether the same request may succeed if sent again (after {@link #retryAfter()} if set). */
  public boolean isRetryable() {
    return retryable;
  }

  /** How long the provider asked us to wait before retrying, or null. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** The provider's own error code or type, if it sent one. */
  public @Nullable String errorCode() {
    return errorCode;
  }

  /** The start of the error body as received (at most {@link #MAX_EXCERPT} characters). */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }
}
