package dev.aperture;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * When the Router sends a failed attempt to the same route again: the same rule for every provider, since
 * a provider makes exactly one attempt per call it is given. An attempt is retried when it failed with a
 * {@linkplain ProviderException#isRetryable() retryable} error whose status is in {@link #retryStatuses()}
 * (HTTP 408, 429, 500, 502, 503, 504 by default) or with a connection failure before any response
 * (status 0), never once a stream has delivered content. A server's {@code Retry-After} (seconds or an HTTP
 * date) or {@code Retry-After-Ms} wins over the exponential backoff; a wait longer than
 * {@link #maxRetryAfter()} or past the call's deadline is not waited for: the Router fails over instead.
 *
 * <p>Immutable; {@link #defaults()} is 3 attempts, 500 ms doubling to at most 8 s, 20% jitter.
 */
public final class RetryPolicy {
  private static final Set<Integer> DEFAULT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);
  private static final RetryPolicy DEFAULTS = new Builder().build();
  private static final RetryPolicy NONE = new Builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration maxRetryAfter;
  private final Set<Integer> retryStatuses;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.jitter = builder.jitter;
    this.maxRetryAfter = builder.maxRetryAfter;
    this.retryStatuses = Set.copyOf(builder.retryStatuses);
  }

  /** 3 attempts per route, 500 ms initial backoff doubling to at most 8 s, 20% jitter. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt per route: never retries (failover to other routes still happens). */
  public static RetryPolicy none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder(this);
  }

  /** How many attempts one route gets, the first included: upstream sees at most this many requests. */
  public int maxAttempts() {
    return maxAttempts;
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

  /** The longest server-requested wait the Router honours; a longer one fails over instead. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** The HTTP statuses that are retried (a connection failure, status 0, always is). */
  public Set<Integer> retryStatuses() {
    return retryStatuses;
  }

  /** Whether {@code failure} may succeed if the same route is tried again. */
  public boolean isRetryable(ApertureException failure) {
    if (!(failure instanceof ProviderException e) || !e.isRetryable()) return false;
    return e.statusCode() == 0 || retryStatuses.contains(e.statusCode());
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
        && maxAttempts == that.maxAttempts
        && initialBackoff.equals(that.initialBackoff)
        && maxBackoff.equals(that.maxBackoff)
        && jitter == that.jitter
        && maxRetryAfter.equals(that.maxRetryAfter)
        && retryStatuses.equals(that.retryStatuses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryStatuses);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter + ", maxRetryAfter=" + maxRetryAfter
        + ", retryStatuses=" + new TreeSet<>(retryStatuses) + "}";
  }

  /** Builds a {@link RetryPolicy}, starting from the defaults. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private double jitter = 0.2;
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private Set<Integer> retryStatuses = DEFAULT_STATUSES;

    Builder() {
    }

    Builder(RetryPolicy policy) {
      this.maxAttempts = policy.maxAttempts;
      this.initialBackoff = policy.initialBackoff;
      this.maxBackoff = policy.maxBackoff;
      this.jitter = policy.jitter;
      this.maxRetryAfter = policy.maxRetryAfter;
      this.retryStatuses = policy.retryStatuses;
    }

    /** Attempts per route, the first included; at least 1. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      if (initialBackoff.isNegative()) throw new IllegalArgumentException("initialBackoff < 0");
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      if (maxBackoff.isNegative()) throw new IllegalArgumentException("maxBackoff < 0");
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** 0 to 1. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) throw new IllegalArgumentException("jitter not in [0, 1]: " + jitter);
      this.jitter = jitter;
      return this;
    }

    public Builder maxRetryAfter(Duration maxRetryAfter) {
      if (maxRetryAfter.isNegative()) throw new IllegalArgumentException("maxRetryAfter < 0");
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    public Builder retryStatuses(Set<Integer> retryStatuses) {
      for (int status : retryStatuses) {
        if (status < 100 || status > 599) throw new IllegalArgumentException("not an HTTP status: " + status);
      }
      this.retryStatuses = Set.copyOf(retryStatuses);
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
