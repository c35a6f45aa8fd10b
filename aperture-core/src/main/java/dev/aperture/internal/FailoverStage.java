package dev.aperture.internal;

import dev.aperture.ApertureException;
import dev.aperture.AttemptOutcome;
import dev.aperture.CallTimeoutException;
import dev.aperture.ProviderException;
import dev.aperture.Route;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Tries the call's routes in order — cooled-down routes skipped, see {@link Cooldowns} — and moves to the
 * next when one fails in a way another provider might not ({@link RealRouter#shouldFailOver}: a bad
 * request fails everywhere). The one place failover is decided, for plain, streamed, asynchronous and
 * Responses-API calls alike. A stream fails over only until its first content reached the caller: the
 * provider stage returns it only then.
 */
final class FailoverStage implements Stage {
  private static final System.Logger LOG = System.getLogger("dev.aperture.Router");

  private final Cooldowns cooldowns;

  FailoverStage(Cooldowns cooldowns) {
    this.cooldowns = cooldowns;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    Cooldowns.Plan plan = cooldowns.order(Objects.requireNonNull(chain.call.routes, "routes"));
    return tryRoute(chain, plan, 0);
  }

  private CompletableFuture<Outcome> tryRoute(RealChain chain, Cooldowns.Plan plan, int index) {
    RealCall call = chain.call;
    List<Route> routes = plan.routes();
    Route route = routes.get(index);
    call.retryCutByDeadline = false;
    // A cooled-down route is probed by one call at a time, claimed only when it is really tried.
    if (plan.probes().contains(route) && !cooldowns.claimProbe(route) && index + 1 < routes.size()) {
      return tryRoute(chain, plan, index + 1);
    }
    return chain.proceed(route, 0).handle((outcome, failure) -> {
      if (failure == null) {
        cooldowns.succeeded(route);
        return CompletableFuture.completedFuture(outcome);
      }
      Throwable cause = RealCall.unwrap(failure);
      if (!(cause instanceof ApertureException e) || RealCall.isCancellation(cause)) {
        return CompletableFuture.<Outcome>failedFuture(cause);
      }
      cooldowns.failed(route, e);
      int attempt = call.lastAttemptOn(route);
      boolean canFailOver = index + 1 < routes.size() && !(e instanceof CallTimeoutException)
          && e instanceof ProviderException p && RealRouter.shouldFailOver(p);
      if ((canFailOver && call.deadlinePassed()) || (!canFailOver && call.retryCutByDeadline
          && !(e instanceof CallTimeoutException))) {
        e = call.timedOut(e);
        canFailOver = false;
      }
      if (!canFailOver) {
        if (attempt > 0) call.listener.attemptFailed(call, route, attempt, e, AttemptOutcome.giveUp());
        return CompletableFuture.<Outcome>failedFuture(e);
      }
      Route next = routes.get(index + 1);
      if (attempt > 0) call.listener.attemptFailed(call, route, attempt, e, AttemptOutcome.failOver(next));
      ApertureException logged = e;
      LOG.log(Level.WARNING, () -> route.qualifiedName() + " failed (" + logged.getMessage()
          + "); failing over to " + next.qualifiedName());
      return tryRoute(chain, plan, index + 1);
    }).thenCompose(f -> f);
  }

  @Override
  public String toString() {
    return "FailoverStage";
  }
}
