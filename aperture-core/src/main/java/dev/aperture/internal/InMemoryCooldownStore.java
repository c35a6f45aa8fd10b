package dev.aperture.internal;

import dev.aperture.CooldownStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** Route cooldowns in this JVM's memory, on the Router's clock: the default {@link CooldownStore}. */
public final class InMemoryCooldownStore implements CooldownStore {
  /** Until when a route cools, and until when its probe is claimed (0 = unclaimed). */
  private record Entry(long coolUntilMillis, long probeClaimedUntilMillis) {
  }

  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  public InMemoryCooldownStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public State state(String routeKey) {
    Entry entry = entries.get(routeKey);
    if (entry == null) return State.AVAILABLE;
    return clock.millis() < entry.coolUntilMillis ? State.COOLING : State.PROBE;
  }

  @Override
  public void coolDown(String routeKey, Duration duration) {
    entries.put(routeKey, new Entry(clock.millis() + duration.toMillis(), 0));
  }

  @Override
  public boolean claimProbe(String routeKey, Duration window) {
    long now = clock.millis();
    boolean[] claimed = {false};
    entries.computeIfPresent(routeKey, (key, entry) -> {
      if (now < entry.coolUntilMillis || now < entry.probeClaimedUntilMillis) return entry;
      claimed[0] = true;
      return new Entry(entry.coolUntilMillis, now + window.toMillis());
    });
    return claimed[0];
  }

  @Override
  public void clear(String routeKey) {
    entries.remove(routeKey);
  }
}
