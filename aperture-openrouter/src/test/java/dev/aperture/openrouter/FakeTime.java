package dev.aperture.openrouter;

import dev.aperture.openrouter.internal.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when the code under test waits, recording every wait. */
final class FakeTime extends Clock implements Sleeper {
  private volatile Instant now = Instant.parse("2025-11-24T12:00:00Z");
  final List<Duration> waits = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(Duration duration) {
    waits.add(duration);
    now = now.plus(duration);
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    sleep(delay);
    task.run();
  }

  /** Time passing without a wait, as a slow attempt would take it. */
  void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
