package dev.aperture;

import java.util.List;

/**
 * Observes calls through the {@link Router}: OkHttp's {@code EventListener}, for LLM calls. Every method
 * does nothing by default; override the ones you need. Events of one call arrive in order, from whichever
 * thread runs that part of the call, so an implementation that keeps per-call state should create one
 * listener per call with a {@link Factory}. A listener must not throw and must not block: it runs on the
 * call's path. A Router without listeners pays nothing for them.
 *
 * <p>The order for a call: {@link #callStart}, {@link #routeChosen}, then the governance events
 * ({@link #hookBlocked}, {@link #hookFailed}, {@link #quotaRejected}) if any apply, then per attempt
 * {@link #attemptStart} and either {@link #attemptEnd} or {@link #attemptFailed} — for a stream
 * {@link #firstChunk} comes before its attempt's {@link #attemptEnd}, since a stream's attempt succeeds
 * when its first content arrived; finally exactly one of {@link #callEnd} or {@link #callFailed} (for a
 * stream, when it ends or is closed).
 */
public abstract class EventListener {
  /** A listener that does nothing. */
  public static final EventListener NONE = new EventListener() {
  };

  /** The call entered the Router. */
  public void callStart(Call call) {
  }

  /**
   * The routes were resolved: {@code routes} are those the caller may use, best first; {@code decision}
   * is the access decision of the first (its quotas and hooks are what the call is governed by).
   */
  public void routeChosen(Call call, List<Route> routes, AccessDecision decision) {
  }

  /** A {@code pre_request} hook blocked the call. */
  public void hookBlocked(Call call, String hook, int statusCode, String message) {
  }

  /** A hook failed (unreachable, non-2xx, bad answer, timeout); {@code failOpen} says whether the call went on. */
  public void hookFailed(Call call, String hook, boolean failOpen, ApertureException failure) {
  }

  /** A quota bucket refused the call. */
  public void quotaRejected(Call call, QuotaExceededException refusal) {
  }

  /** An attempt on {@code route} begins; {@code attempt} counts from 1 across the whole call. */
  public void attemptStart(Call call, Route route, int attempt) {
  }

  /** An attempt succeeded (a stream: it began). */
  public void attemptEnd(Call call, Route route, int attempt) {
  }

  /** An attempt failed, and what the Router does next. */
  public void attemptFailed(Call call, Route route, int attempt, ApertureException failure,
      AttemptOutcome outcome) {
  }

  /** A stream delivered its first content (the point after which it never fails over). */
  public void firstChunk(Call call, Route route) {
  }

  /**
   * The call completed: {@code response} is the whole response (a stream's accumulated one), and
   * {@code costNanos} what it cost in nanodollars (0 when the provider reported no cost).
   */
  public void callEnd(Call call, ChatResponse response, long costNanos) {
  }

  /** The call failed; no {@link #callEnd} follows. A stream closed early by the caller ends here too. */
  public void callFailed(Call call, ApertureException failure) {
  }

  /** Creates a listener per call. */
  @FunctionalInterface
  public interface Factory {
    EventListener create(Call call);
  }
}
