package dev.aperture.openrouter.internal;

import dev.aperture.ProviderException;
import dev.aperture.openrouter.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides whether and when a failed attempt is sent again, for blocking and
 * asynchronous calls alike. An attempt signals failure by throwing (or completing with) a
 * {@link ProviderException}; its {@link ProviderException#isRetryable()} and
 * {@link ProviderException#retryAfter()} drive the decision, bounded by the policy's retry count and its
 * deadline over all attempts.
 */
public final class RetryExecutor {
  private static final System.Logger LOG = System.getLogger(RetryExecutor.class.getName());

  private final RetryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  public RetryExecutor(RetryPolicy policy, Clock clock, Sleeper sleeper, DoubleSupplier random) {
    this.policy = policy;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** One attempt, given the time left before the deadline. */
  public interface Attempt<T> {
    T run(Duration remaining);
  }

  /** One asynchronous attempt; cancelling its future must cancel its call. */
  public interface AsyncAttempt<T> {
    CompletableFuture<T> start(Duration remaining);
  }

  public <T> T execute(Attempt<T> attempt) {
    Instant deadline = clock.instant().plus(policy.deadline());
    for (int retry = 1; ; retry++) {
      try {
        return attempt.run(remaining(deadline));
      } catch (ProviderException e) {
        Duration wait = waitBeforeRetry(e, retry, deadline);
        if (wait == null) throw e;
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          e.addSuppressed(interrupted);
          throw e;
        }
      }
    }
  }

  /**
   * Runs attempts until one succeeds or no retry is left. Cancelling the returned future cancels the
   * attempt in flight and stops further retries; waits are scheduled, never slept on a thread.
   */
  public <T> CompletableFuture<T> executeAsync(AsyncAttempt<T> attempt) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicReference<@Nullable CompletableFuture<T>> current = new AtomicReference<>();
    result.whenComplete((value, failure) -> {
      CompletableFuture<T> inFlight = current.get();
      if (result.isCancelled() && inFlight != null) inFlight.cancel(true);
    });
    Instant deadline = clock.instant().plus(policy.deadline());
    startAsync(attempt, 1, deadline, result, current);
    return result;
  }

  private <T> void startAsync(AsyncAttempt<T> attempt, int retry, Instant deadline,
      CompletableFuture<T> result, AtomicReference<@Nullable CompletableFuture<T>> current) {
    if (result.isDone()) return;
    CompletableFuture<T> inFlight;
    try {
      inFlight = attempt.start(remaining(deadline));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    current.set(inFlight);
    if (result.isCancelled()) inFlight.cancel(true); // Cancelled while this attempt was being started.
    inFlight.whenComplete((value, failure) -> {
      if (failure == null) {
        result.complete(value);
        return;
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      Duration wait = cause instanceof ProviderException e && !result.isDone()
          ? waitBeforeRetry(e, retry, deadline) : null;
      if (wait == null) {
        result.completeExceptionally(cause);
        return;
      }
      sleeper.schedule(wait, () -> startAsync(attempt, retry + 1, deadline, result, current));
    });
  }

  /** The wait before retry number {@code retry}, or null if the failure must be thrown now. */
  @Nullable Duration waitBeforeRetry(ProviderException e, int retry, Instant deadline) {
    if (!e.isRetryable() || retry > policy.maxRetries()) return null;
    Duration wait = e.retryAfter() != null ? e.retryAfter() : policy.backoff(retry, random.getAsDouble());
    if (clock.instant().plus(wait).isAfter(deadline)) {
      LOG.log(System.Logger.Level.DEBUG, () -> "not retrying " + e.providerId() + ": waiting " + wait
          + " would pass the retry deadline");
      return null;
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "retry " + retry + " of " + e.providerId() + " in " + wait
        + " after: " + e.getMessage());
    return wait;
  }

  private Duration remaining(Instant deadline) {
    Duration remaining = Duration.between(clock.instant(), deadline);
    return remaining.isNegative() ? Duration.ZERO : remaining;
  }
}
