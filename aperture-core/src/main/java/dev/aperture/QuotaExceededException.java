package dev.aperture;

import java.time.Duration;
import java.util.Objects;

/**
 * A quota bucket refused the call ({@code on_exceed: reject}): no provider was called. A gateway answers
 * 429 with {@code Retry-After} of {@link #retryAfter()}.
 */
public final class QuotaExceededException extends ApertureException {
  private final String bucket;
  private final long availableNanos;
  private final Duration retryAfter;

  public QuotaExceededException(String bucket, long availableNanos, Duration retryAfter) {
    super("quota '" + bucket + "' is exhausted (available " + Money.format(availableNanos) + "); "
        + (retryAfter.compareTo(QuotaBucket.FOREVER) >= 0 ? "it never refills, so every call is refused"
            : "retry in " + Money.formatDuration(retryAfter)));
    this.bucket = Objects.requireNonNull(bucket, "bucket == null");
    this.availableNanos = availableNanos;
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter == null");
  }

  /** The bucket's name, templates expanded. */
  public String bucket() {
    return bucket;
  }

  /** Its balance less in-flight reservations when the call was refused, in nanodollars (zero or below). */
  public long availableNanos() {
    return availableNanos;
  }

  /** How long until the bucket is positive again at its refill rate. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
