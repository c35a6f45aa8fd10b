package dev.aperture.openrouter;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When and how long the provider waits before sending a failed call again. Retries happen on HTTP 408,
 * 429, 500, 502, 503 and 504 and on connection failures before any response byte arrived; never on other
 * statuses and never once a stream has started. A server's {@code Retry-After} / {@code Retry-After-Ms}
 * wins over the exponential backoff. One {@link #deadline()} covers all attempts of a call: no retry
 * starts if its wait would end past it.
 *
 * <p>Immutable; {@link #builder()} starts from the defaults (2 retries, 500 ms doubling to at most 8 s,
 * 20% jitter, 10 minute deadline).
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = new Builder().build();
  private static final RetryPolicy NONE = new Builder().maxRetries(0).build();

  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration deadline;

  private RetryPolicy(Builder builder) {
    this.maxRetries = builder.maxRetries;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.jitter = builder.jitter;
    this.deadline = builder.deadline;
  }

  /** 2 retries, 500 ms initial backoff doubling to at most 8 s, 20% jitter, a 10 minute deadline. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** Never retries. */
  public static RetryPolicy none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder(this);
  }

  /** How many times a call is sent again after its first attempt. */
  public int maxRetries() {
    return maxRetries;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** The fraction, 0 to 1, by which a backoff is randomly shortened so clients do not retry in step. */
  public double jitter() {
    return jitter;
  }

  /** The time all attempts of one call together may take, waits included. */
  public Duration deadline() {
    return deadline;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first) when the server did not say:
   * {@code initialBackoff * 2^(retry-1)}, capped at {@code maxBackoff}, shortened by up to
   * {@code jitter} of itself according to {@code random} in [0, 1).
   */
  public Duration backoff(int retry, double random) {
    if (retry < 1) throw new IllegalArgumentException("retry < 1: " + retry);
    long base = initialBackoff.toNanos();
    long max = maxBackoff.toNanos();
    long nanos = base;
    for (int i = 1; i < retry && nanos < max; i++) nanos = nanos > Long.MAX_VALUE / 2 ? max : nanos * 2;
    nanos = Math.min(nanos, max);
    return Duration.ofNanos(nanos - (long) (nanos * jitter * random));
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RetryPolicy that
        && maxRetries == that.maxRetries
        && initialBackoff.equals(that.initialBackoff)
        && maxBackoff.equals(that.maxBackoff)
        && jitter == that.jitter
        && deadline.equals(that.deadline);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxRetries, initialBackoff, maxBackoff, jitter, deadline);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter + ", deadline=" + deadline + "}";
  }

  public static final class Builder {
    private int maxRetries = 2;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private double jitter = 0.2;
    private Duration deadline = Duration.ofMinutes(10);

    Builder() {
    }

    Builder(RetryPolicy policy) {
      this.maxRetries = policy.maxRetries;
      this.initialBackoff = policy.initialBackoff;
      this.maxBackoff = policy.maxBackoff;
      this.jitter = policy.jitter;
      this.deadline = policy.deadline;
    }

    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) throw new IllegalArgumentException("maxRetries < 0: " + maxRetries);
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = nonNegative(initialBackoff, "initialBackoff");
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = nonNegative(maxBackoff, "maxBackoff");
      return this;
    }

    /** 0 for exact backoffs; at most 1. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) throw new IllegalArgumentException("jitter not in [0, 1]: " + jitter);
      this.jitter = jitter;
      return this;
    }

    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline == null");
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive: " + deadline);
      }
      this.deadline = deadline;
      return this;
    }

    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff < initialBackoff");
      }
      return new RetryPolicy(this);
    }

    private static Duration nonNegative(Duration duration, String name) {
      Objects.requireNonNull(duration, name + " == null");
      if (duration.isNegative()) throw new IllegalArgumentException(name + " is negative: " + duration);
      return duration;
    }
  }
}
