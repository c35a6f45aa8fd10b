package dev.aperture.internal;

import dev.aperture.ApertureException;
import dev.aperture.AttemptOutcome;
import dev.aperture.CallTimeoutException;
import dev.aperture.ProviderException;
import dev.aperture.RetryPolicy;
import dev.aperture.Route;
import dev.aperture.Sleeper;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends one route's attempts: the first, and retries of failures the {@link RetryPolicy} calls retryable,
 * after the server's {@code Retry-After} or the policy's backoff. A wait the policy will not honour, or one
 * that would end past the call's deadline, is not waited for: the failure goes up to the failover stage.
 * The one place retries happen; providers make exactly one attempt per call they are given.
 */
final class RetryStage implements Stage {
  private final RetryPolicy policy;
  private final Sleeper sleeper;

  RetryStage(RetryPolicy policy, Sleeper sleeper) {
    this.policy = policy;
    this.sleeper = sleeper;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    return attempt(chain, chain.requireRoute(), 1);
  }

  private CompletableFuture<Outcome> attempt(RealChain chain, Route route, int triesOnRoute) {
    RealCall call = chain.call;
    if (call.isCanceled()) return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException());
    if (call.deadlinePassed()) return CompletableFuture.failedFuture(call.timedOut(null));
    int attempt = call.startAttempt(route);
    call.listener.attemptStart(call, route, attempt);
    return chain.proceed(route, attempt).handle((outcome, failure) -> {
      if (failure == null) {
        call.listener.attemptEnd(call, route, attempt);
        return CompletableFuture.completedFuture(outcome);
      }
      Throwable cause = RealCall.unwrap(failure);
      if (!(cause instanceof ApertureException e) || cause instanceof CallTimeoutException) {
        return CompletableFuture.<Outcome>failedFuture(cause);
      }
      if (call.deadlinePassed()) return CompletableFuture.<Outcome>failedFuture(call.timedOut(e));
      if (triesOnRoute >= policy.maxAttempts() || !policy.isRetryable(e)) {
        return CompletableFuture.<Outcome>failedFuture(e);
      }
      Duration wait = waitBefore(e, triesOnRoute);
      if (wait.compareTo(policy.maxRetryAfter()) > 0) return CompletableFuture.<Outcome>failedFuture(e);
      if (call.waitPassesDeadline(wait)) {
        call.retryCutByDeadline = true;
        return CompletableFuture.<Outcome>failedFuture(e);
      }
      call.listener.attemptFailed(call, route, attempt, e, AttemptOutcome.retry(wait));
      return delay(call, wait).thenCompose(v -> attempt(chain, route, triesOnRoute + 1));
    }).thenCompose(f -> f);
  }

  /** The server's wait if it gave one, else the policy's backoff for retry number {@code retry}. */
  private Duration waitBefore(ApertureException failure, int retry) {
    Duration retryAfter = failure instanceof ProviderException p ? p.retryAfter() : null;
    if (retryAfter != null && !retryAfter.isNegative()) return retryAfter;
    return policy.backoff(retry, ThreadLocalRandom.current().nextDouble());
  }

  private CompletableFuture<Void> delay(RealCall call, Duration wait) {
    if (wait.isZero()) return CompletableFuture.completedFuture(null);
    if (call.async) return sleeper.delay(wait);
    try {
      sleeper.sleep(wait);
      return CompletableFuture.completedFuture(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(new java.util.concurrent.CancellationException("interrupted while waiting to retry"));
    }
  }

  @Override
  public String toString() {
    return "RetryStage";
  }
}
