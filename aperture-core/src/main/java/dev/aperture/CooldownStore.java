package dev.aperture;

import java.time.Duration;

/**
 * Where routes' cooldowns live: in memory by default, or shared by every instance (the
 * {@code aperture-redis} module), so that a route found down on one node is skipped by all. Times are on
 * the store's own clock, so nodes whose clocks disagree still agree on a cooldown.
 *
 * <p>A route's life: {@link State#AVAILABLE}; after repeated retryable failures the Router
 * {@linkplain #coolDown cools it down} ({@link State#COOLING}); when that runs out it needs a probe
 * ({@link State#PROBE}): one caller {@linkplain #claimProbe claims} it and sends one call, which
 * {@linkplain #clear clears} the route or cools it down again.
 */
public interface CooldownStore {
  /** The states of a route. */
  enum State {
    AVAILABLE,
    COOLING,
    PROBE
  }

  /** The state of {@code routeKey} now. */
  State state(String routeKey);

  /** Cools {@code routeKey} down for {@code duration}; after it, the route needs a probe. */
  void coolDown(String routeKey, Duration duration);

  /**
   * Claims the probe of a route in {@link State#PROBE}: true for exactly one caller per {@code window}
   * (so a prober that died is replaced after it), false for every other.
   */
  boolean claimProbe(String routeKey, Duration window);

  /** Marks the route available again (a call to it succeeded). */
  void clear(String routeKey);
}
