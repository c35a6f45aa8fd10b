package dev.aperture.internal.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.QuotaBucket;
import dev.aperture.QuotaExceededException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * 1,000 calls from 50 threads against one bucket through the gate. The bucket does not refill (a fixed
 * clock), so every nanodollar is accounted for.
 */
final class QuotaConcurrencyTest {
  private static final int THREADS = 50;
  private static final int CALLS_PER_THREAD = 20;
  private static final long CAPACITY = 200_000;
  private static final long ESTIMATE = 1_000;
  /** Actual costs range over [ESTIMATE / 2, ESTIMATE + MAX_UNDERESTIMATE]. */
  private static final long MAX_UNDERESTIMATE = 100;
  private static final long MAX_ACTUAL = ESTIMATE + MAX_UNDERESTIMATE;

  @Test
  void concurrentCallsNeverOverspendBeyondTheDocumentedSlackAndEveryChargeIsCountedOnce() throws Exception {
    QuotaBucket bucket = new QuotaBucket("team", "team", CAPACITY, 0, Duration.ofDays(1));
    QuotaGate gate = QuotaGate.inMemory(new TestClock());
    AtomicLong charged = new AtomicLong();
    AtomicLong admitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong releasedUncharged = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < THREADS; t++) {
        long seed = t;
        futures.add(pool.submit(() -> {
          SplittableRandom random = new SplittableRandom(seed);
          start.await();
          for (int i = 0; i < CALLS_PER_THREAD; i++) {
            QuotaGate.Reservation reservation;
            try {
              reservation = gate.admit(List.of(bucket), ESTIMATE, "t" + seed + "-" + i);
            } catch (QuotaExceededException e) {
              refused.incrementAndGet();
              continue;
            }
            admitted.incrementAndGet();
            Thread.yield(); // Let other calls be admitted while this one is in flight.
            if (random.nextInt(10) == 0) {
              // A call that failed before the provider: released, and a stray settle must not charge.
              gate.release(reservation);
              if (gate.settle(reservation, MAX_ACTUAL)) charged.addAndGet(MAX_ACTUAL);
              releasedUncharged.incrementAndGet();
              continue;
            }
            long actual = random.nextLong(ESTIMATE / 2, MAX_ACTUAL + 1);
            if (gate.settle(reservation, actual)) charged.addAndGet(actual);
            // A duplicate settle (a retried completion handler, say) must not charge again.
            if (gate.settle(reservation, actual)) charged.addAndGet(actual);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : futures) future.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    long finalBalance = gate.balances(List.of(bucket)).get(0).balanceNanos();
    long reserved = gate.balances(List.of(bucket)).get(0).reservedNanos();
    // The slack CostEstimator documents: one call's actual cost (Aperture's own rule) plus the
    // underestimates of the other calls that can be in flight at once.
    long slack = MAX_ACTUAL + (THREADS - 1) * MAX_UNDERESTIMATE;

    assertThat(admitted.get() + refused.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(refused.get()).isPositive(); // Demand (~800,000) far exceeds capacity: the gate refused.
    assertThat(reserved).isZero();
    assertThat(charged.get()).isEqualTo(CAPACITY - finalBalance);
    assertThat(charged.get()).isLessThanOrEqualTo(CAPACITY + slack);
    assertThat(finalBalance).isGreaterThanOrEqualTo(-slack);
  }
}
