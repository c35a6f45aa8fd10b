package dev.aperture;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A provider failed the call: an HTTP error status, an error object in a 200 body, a malformed body, or a
 * connection failure. Subtypes name the cases callers act on: {@link RateLimitedException},
 * {@link AuthenticationException}, {@link InsufficientCreditsException}, {@link ModerationException},
 * {@link ProviderConnectionException}, {@link StreamException}.
 *
 * <p>Build one with {@link #builder(String)} (each subtype has its own {@code builder}), so new
 * properties can be added without breaking provider authors:
 *
 * <pre>{@code
 * throw ProviderException.builder("my-provider")
 *     .statusCode(503)
 *     .message("my-provider answered HTTP 503: overloaded")
 *     .retryable(true)
 *     .retryAfter(Duration.ofSeconds(2))
 *     .bodyExcerpt(body)
 *     .build();
 * }</pre>
 *
 * <p>The message and {@link #bodyExcerpt()} never contain a secret: providers redact them before they
 * build the exception.
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

  /** For subtypes: takes every common property from {@code builder}. */
  protected ProviderException(Builder<?> builder) {
    super(Objects.requireNonNull(builder.message, "message == null"), builder.cause);
    this.providerId = builder.providerId;
    this.statusCode = builder.statusCode;
    this.retryable = builder.retryable;
    this.retryAfter = builder.retryAfter;
    this.errorCode = builder.errorCode;
    this.bodyExcerpt = excerpt(builder.bodyExcerpt);
  }

  /** A builder for a failure of the provider {@code providerId}. */
  public static Builder<?> builder(String providerId) {
    return new PlainBuilder(providerId);
  }

  /** Shortens {@code body} to at most {@link #MAX_EXCERPT} characters. Redact it first. */
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

  /** The start of the error body as received, redacted (at most {@link #MAX_EXCERPT} characters). */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }

  /**
   * The properties every provider failure has. Each subtype's builder extends it, so its setters return
   * that builder and its {@link #build()} the subtype.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Builder<B extends Builder<B>> {
    final String providerId;
    int statusCode;
    @Nullable String message;
    boolean retryable;
    @Nullable Duration retryAfter;
    @Nullable String errorCode;
    String bodyExcerpt = "";
    @Nullable Throwable cause;

    /** A builder for a failure of the provider {@code providerId}. */
    protected Builder(String providerId) {
      this.providerId = Objects.requireNonNull(providerId, "providerId == null");
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    /** The HTTP status; 0 (the default) when there was none or it was 200. */
    public B statusCode(int statusCode) {
      if (statusCode != 0 && (statusCode < 100 || statusCode > 599)) {
        throw new IllegalArgumentException("not an HTTP status: " + statusCode);
      }
      this.statusCode = statusCode;
      return self();
    }

    /** The message (required); it must not contain a secret. */
    public B message(String message) {
      this.message = Objects.requireNonNull(message, "message == null");
      return self();
    }

    /** Whether the same request may succeed if sent again; default false. */
    public B retryable(boolean retryable) {
      this.retryable = retryable;
      return self();
    }

    /** How long the provider asked to wait before a retry, or null (the default). */
    public B retryAfter(@Nullable Duration retryAfter) {
      if (retryAfter != null && retryAfter.isNegative()) throw new IllegalArgumentException("retryAfter < 0");
      this.retryAfter = retryAfter;
      return self();
    }

    /** The provider's own error code or type, or null (the default). */
    public B errorCode(@Nullable String errorCode) {
      this.errorCode = errorCode;
      return self();
    }

    /**
     * The error body as received, already redacted; it is cut to {@link #MAX_EXCERPT} characters.
     * Default empty.
     */
    public B bodyExcerpt(String bodyExcerpt) {
      this.bodyExcerpt = Objects.requireNonNull(bodyExcerpt, "bodyExcerpt == null");
      return self();
    }

    /** The underlying cause, or null (the default). */
    public B cause(@Nullable Throwable cause) {
      this.cause = cause;
      return self();
    }

    /** Builds the exception; throws if no message was set. */
    public abstract ProviderException build();
  }

  private static final class PlainBuilder extends Builder<PlainBuilder> {
    PlainBuilder(String providerId) {
      super(providerId);
    }

    @Override
    public ProviderException build() {
      return new ProviderException(this);
    }
  }
}
