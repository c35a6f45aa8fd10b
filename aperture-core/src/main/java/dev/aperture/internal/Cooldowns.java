package dev.aperture.internal;

import dev.aperture.ApertureException;
import dev.aperture.CooldownStore;
import dev.aperture.ProviderException;
import dev.aperture.Route;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When a route is skipped: after {@code threshold} consecutive failed calls that another try might not
 * repeat (or at once on a 429 with {@code Retry-After}) a route cools down for {@code duration} (or the
 * server's wait, if longer); then one call probes it, which clears it or cools it again. Consecutive
 * failures are counted per JVM; the cooldown itself lives in the {@link CooldownStore}, which may be
 * shared by every instance.
 */
final class Cooldowns {
  private static final System.Logger LOG = System.getLogger("dev.aperture.Router");

  private static final Duration MAX_COOLDOWN = Duration.ofHours(1);

  private final CooldownStore store;
  private final int threshold;
  private final Duration duration;
  private final ConcurrentHashMap<String, AtomicInteger> consecutiveFailures = new ConcurrentHashMap<>();
  /** Routes whose probe this JVM claimed and has not yet reported on. */
  private final ConcurrentHashMap<String, Boolean> probing = new ConcurrentHashMap<>();

  Cooldowns(CooldownStore store, int threshold, Duration duration) {
    this.store = store;
    this.threshold = threshold;
    this.duration = duration;
  }

  boolean enabled() {
    return threshold > 0;
  }

  /** The routes to try, in order, and which of them are cooled down and need their probe claimed. */
  record Plan(List<Route> routes, Set<Route> probes) {
  }

  /**
   * {@code routes} in the order to try them: cooling ones left out — unless every route is cooling, when
   * the best is used anyway. Routes whose cooldown ran out stay in place as probe candidates; the probe is
   * claimed ({@link #claimProbe}) only when the failover stage gets to that route, so a claim is never
   * taken by a call that an earlier route served.
   */
  Plan order(List<Route> routes) {
    if (!enabled()) return new Plan(routes, Set.of());
    List<Route> usable = null;
    Set<Route> probes = Set.of();
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      CooldownStore.State state = store.state(route.qualifiedName());
      if (state == CooldownStore.State.PROBE) {
        if (probes.isEmpty()) probes = new HashSet<>();
        probes.add(route);
      }
      if (state != CooldownStore.State.COOLING) {
        if (usable != null) usable.add(route);
      } else if (usable == null) {
        usable = new ArrayList<>(routes.subList(0, i));
      }
    }
    if (usable == null) return new Plan(routes, probes);
    if (usable.isEmpty()) return new Plan(List.of(routes.get(0)), Set.of()); // Every route cools: try the best.
    return new Plan(usable, probes);
  }

  /** Claims {@code route}'s probe: true for exactly one caller per cooldown window. */
  boolean claimProbe(Route route) {
    String key = route.qualifiedName();
    if (!store.claimProbe(key, duration)) return false;
    probing.put(key, Boolean.TRUE);
    return true;
  }

  void succeeded(Route route) {
    if (!enabled()) return;
    String key = route.qualifiedName();
    AtomicInteger failures = consecutiveFailures.get(key);
    if (failures != null && failures.get() != 0) failures.set(0);
    if (probing.remove(key) != null) store.clear(key);
  }

  /** Counts a failed call to {@code route} and cools it when it should. */
  void failed(Route route, ApertureException failure) {
    if (!enabled() || !(failure instanceof ProviderException e) || !RealRouter.shouldFailOver(e)) return;
    String key = route.qualifiedName();
    Duration retryAfter = e.retryAfter();
    int failures = consecutiveFailures.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    boolean rateLimited = e.statusCode() == 429 && retryAfter != null && !retryAfter.isZero();
    boolean failedProbe = probing.remove(key) != null;
    if (failures >= threshold || rateLimited || failedProbe) {
      Duration wanted = retryAfter != null && retryAfter.compareTo(duration) > 0 ? retryAfter : duration;
      // A server's wait is taken up to a point: one odd header must not bench a route for days, everywhere.
      Duration cool = wanted.compareTo(MAX_COOLDOWN) > 0 && MAX_COOLDOWN.compareTo(duration) >= 0 ? MAX_COOLDOWN : wanted;
      store.coolDown(key, cool);
      consecutiveFailures.get(key).set(0);
      LOG.log(Level.WARNING, () -> key + " cools down for " + cool.toMillis() + " ms after " + failures
          + (failures == 1 ? " failure" : " consecutive failures"));
    }
  }
}
