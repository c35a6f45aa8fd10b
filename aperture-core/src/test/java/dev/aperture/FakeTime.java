package dev.aperture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when the code under test waits (or a test says so), recording every wait. */
final class FakeTime extends Clock implements Sleeper {
  private volatile Instant now = Instant.parse("2026-12-01T12:00:00Z");
  final List<Duration> waits = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(Duration duration) {
    waits.add(duration);
    advance(duration);
  }

  @Override
  public CompletableFuture<Void> delay(Duration delay) {
    sleep(delay);
    return CompletableFuture.completedFuture(null);
  }

  /** Time passing without a wait, as a slow attempt would take it. */
  synchronized void advance(Duration duration) {
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
    return this;
  }
}
