package dev.aperture.redis;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something that only the Redis server's clock brings about (a reservation's expiry), by
 * asking again until it holds or a bound passes. Asserts nothing about how long it took.
 */
final class Await {
  private Await() {
  }

  static void until(Duration bound, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("not within " + bound + ": " + what);
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
