package dev.aperture.internal.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.Money;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaStore.Admission;
import dev.aperture.QuotaStore.Reservation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class InMemoryQuotaStoreTest {
  private static final long DOLLAR = Money.NANOS_PER_DOLLAR;
  private static final Duration TTL = Duration.ofMinutes(10);
  /** {@code daily:<user>} for alice: $10.00 capacity, $5.00/day. */
  private static final QuotaBucket DAILY = new QuotaBucket("daily:alice@example.com", "daily:<user>",
      10 * DOLLAR, 5 * DOLLAR, Duration.ofDays(1));
  private static final QuotaBucket TEAM = new QuotaBucket("team-monthly", "team-monthly",
      500 * DOLLAR, 500 * DOLLAR, Duration.ofDays(30));

  private final TestClock clock = new TestClock();
  private final InMemoryQuotaStore store = new InMemoryQuotaStore(clock);
  private final java.util.concurrent.atomic.AtomicInteger charges = new java.util.concurrent.atomic.AtomicInteger();

  private long balance(QuotaBucket bucket) {
    return store.balances(List.of(bucket)).get(0).balanceNanos();
  }

  private void charge(QuotaBucket bucket, long nanos) {
    Admission admission = store.reserve("charge-" + charges.incrementAndGet(), List.of(bucket), 0, TTL);
    store.settle(admission.reservation(), nanos);
  }

  @Test
  void aBucketStartsFullAtItsCapacity() {
    QuotaBalance balance = store.balances(List.of(DAILY)).get(0);
    assertThat(balance.balanceNanos()).isEqualTo(10 * DOLLAR);
    assertThat(balance.reservedNanos()).isZero();
    assertThat(balance.bucket()).isEqualTo(DAILY);
  }

  @Test
  void aBucketRefillsContinuouslyAtItsRateUpToItsCapacity() {
    charge(DAILY, 8 * DOLLAR);
    assertThat(balance(DAILY)).isEqualTo(2 * DOLLAR);

    clock.advance(Duration.ofHours(12));
    assertThat(balance(DAILY)).isEqualTo(4_500_000_000L);

    clock.advance(Duration.ofMinutes(1)); // $5/day = 3,472,222.2 nanodollars a minute, rounded down.
    assertThat(balance(DAILY)).isEqualTo(4_500_000_000L + 3_472_222L);

    clock.advance(Duration.ofDays(2));
    assertThat(balance(DAILY)).isEqualTo(10 * DOLLAR);
  }

  @Test
  void refillIsExactHoweverOftenTheBucketIsTouched() {
    InMemoryQuotaStore untouched = new InMemoryQuotaStore(clock);
    charge(DAILY, 5 * DOLLAR);
    untouched.reserve("r", List.of(DAILY), 0, TTL);
    untouched.settle(new Reservation("r", List.of(DAILY), 0), 5 * DOLLAR);

    // 7 ms earns 405.09 nanodollars: rounding each touch down would lose 0.09 every time.
    for (int i = 0; i < 10_000; i++) {
      clock.advance(Duration.ofMillis(7));
      balance(DAILY);
    }

    // 70 s at $5/day: floor(5 × 10^9 × 70 / 86,400) = 4,050,925 nanodollars.
    long expected = 5 * DOLLAR + 4_050_925L;
    assertThat(balance(DAILY)).isEqualTo(expected);
    assertThat(untouched.balances(List.of(DAILY)).get(0).balanceNanos()).isEqualTo(expected);
  }

  @Test
  void timeSpentFullEarnsNothing() {
    balance(DAILY);
    clock.advance(Duration.ofDays(3));
    charge(DAILY, DOLLAR);
    assertThat(balance(DAILY)).isEqualTo(9 * DOLLAR);

    clock.advance(Duration.ofHours(1));
    assertThat(balance(DAILY)).isEqualTo(9 * DOLLAR + 5 * DOLLAR / 24);
  }

  @Test
  void admissionCountsWhatCallsInFlightHaveReserved() {
    QuotaBucket small = new QuotaBucket("small", "small", 1_000, 0, Duration.ofDays(1));

    Admission first = store.reserve("a", List.of(small), 600, TTL);
    Admission second = store.reserve("b", List.of(small), 600, TTL);
    Admission third = store.reserve("c", List.of(small), 600, TTL);

    assertThat(first.isAdmitted()).isTrue();
    assertThat(second.isAdmitted()).isTrue(); // 1,000 − 600 = 400 is still positive.
    assertThat(third.isAdmitted()).isFalse();
    assertThat(third.refusedBy().balanceNanos()).isEqualTo(1_000);
    assertThat(third.refusedBy().reservedNanos()).isEqualTo(1_200);
    assertThat(third.refusedBy().availableNanos()).isEqualTo(-200);
    assertThat(third.retryAfter()).isEqualTo(QuotaBucket.FOREVER); // Rate 0: it never refills.
  }

  @Test
  void everyBucketMustBePositiveAndTheCostIsChargedToAll() {
    charge(TEAM, 500 * DOLLAR); // The team bucket is empty; alice's daily one is full.

    Admission refused = store.reserve("a", List.of(DAILY, TEAM), DOLLAR, TTL);
    assertThat(refused.isAdmitted()).isFalse();
    assertThat(refused.refusedBy().bucket().name()).isEqualTo("team-monthly");
    assertThat(store.balances(List.of(DAILY)).get(0).reservedNanos()).isZero(); // A refusal holds nothing.

    store.refill(TEAM, 100 * DOLLAR);
    Admission admitted = store.reserve("b", List.of(DAILY, TEAM), DOLLAR, TTL);
    assertThat(admitted.isAdmitted()).isTrue();
    assertThat(store.balances(List.of(DAILY, TEAM))).extracting(QuotaBalance::reservedNanos)
        .containsExactly(DOLLAR, DOLLAR);

    store.settle(admitted.reservation(), 3 * DOLLAR);
    assertThat(store.balances(List.of(DAILY, TEAM)))
        .extracting(QuotaBalance::balanceNanos, QuotaBalance::reservedNanos)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(7 * DOLLAR, 0L),
            org.assertj.core.groups.Tuple.tuple(97 * DOLLAR, 0L));
  }

  @Test
  void theFirstRefusingBucketIsNamedAndRetryAfterIsWhenAllArePositive() {
    QuotaBucket fast = new QuotaBucket("fast", "fast", 100, 100, Duration.ofSeconds(100));
    QuotaBucket slow = new QuotaBucket("slow", "slow", 100, 1, Duration.ofSeconds(1));
    charge(fast, 110); // -10: 11 s to reach 1.
    charge(slow, 100); // 0: 1 s to reach 1.

    Admission refused = store.reserve("a", List.of(slow, fast), 0, TTL);

    assertThat(refused.refusedBy().bucket().name()).isEqualTo("slow");
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(11));
  }

  @Test
  void retryAfterIsExactlyTheTimeUntilTheBucketIsPositive() {
    charge(DAILY, 11 * DOLLAR); // -$1.00

    Admission refused = store.reserve("a", List.of(DAILY), 0, TTL);
    // $1.000000001 at $5/day: (10^9 + 1) × 86,400 s / (5 × 10^9).
    Duration expected = Duration.ofNanos(17_280_000_017_280L);
    assertThat(refused.retryAfter()).isEqualTo(expected);

    clock.advance(expected.minusNanos(1));
    assertThat(store.reserve("b", List.of(DAILY), 0, TTL).isAdmitted()).isFalse();
    clock.advance(Duration.ofNanos(1));
    assertThat(store.reserve("c", List.of(DAILY), 0, TTL).isAdmitted()).isTrue();
    assertThat(balance(DAILY)).isEqualTo(1);
  }

  @Test
  void aZeroCapacityBucketRefusesEveryCall() {
    QuotaBucket none = new QuotaBucket("none", "none", 0, 5 * DOLLAR, Duration.ofDays(1));

    Admission refused = store.reserve("a", List.of(none), 0, TTL);
    clock.advance(Duration.ofDays(30));
    Admission later = store.reserve("b", List.of(none), 0, TTL);

    assertThat(refused.isAdmitted()).isFalse();
    assertThat(later.isAdmitted()).isFalse();
    assertThat(later.refusedBy().availableNanos()).isZero();
    assertThat(later.retryAfter()).isEqualTo(QuotaBucket.FOREVER);
  }

  @Test
  void settleChargesTheActualCostEvenBelowZero() {
    Admission admission = store.reserve("a", List.of(DAILY), DOLLAR, TTL);

    store.settle(admission.reservation(), 12 * DOLLAR);

    QuotaBalance balance = store.balances(List.of(DAILY)).get(0);
    assertThat(balance.balanceNanos()).isEqualTo(-2 * DOLLAR);
    assertThat(balance.reservedNanos()).isZero();
    assertThat(store.reservationsHeld()).isZero();
  }

  @Test
  void releaseDropsTheReservationWithoutCharging() {
    Admission admission = store.reserve("a", List.of(DAILY, TEAM), 2 * DOLLAR, TTL);

    store.release(admission.reservation());
    store.release(admission.reservation()); // Releasing again is harmless.

    assertThat(store.balances(List.of(DAILY, TEAM)))
        .extracting(QuotaBalance::balanceNanos, QuotaBalance::reservedNanos)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(10 * DOLLAR, 0L),
            org.assertj.core.groups.Tuple.tuple(500 * DOLLAR, 0L));
  }

  @Test
  void anExpiredReservationIsChargedItsEstimate() {
    QuotaBucket still = new QuotaBucket("still", "still", 10 * DOLLAR, 0, Duration.ofDays(1));
    store.reserve("a", List.of(still), 3 * DOLLAR, Duration.ofMinutes(1));

    clock.advance(Duration.ofSeconds(59));
    assertThat(store.reservationsHeld()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));

    assertThat(store.reservationsHeld()).isZero();
    QuotaBalance balance = store.balances(List.of(still)).get(0);
    assertThat(balance.balanceNanos()).isEqualTo(7 * DOLLAR);
    assertThat(balance.reservedNanos()).isZero();
  }

  @Test
  void aLateSettleOfAnExpiredReservationChargesOnlyTheDifference() {
    QuotaBucket still = new QuotaBucket("still", "still", 10 * DOLLAR, 0, Duration.ofDays(1));
    Reservation reservation = store.reserve("a", List.of(still), 3 * DOLLAR, Duration.ofMinutes(1))
        .reservation();
    clock.advance(Duration.ofMinutes(2));

    store.settle(reservation, 5 * DOLLAR);

    assertThat(store.balances(List.of(still)).get(0).balanceNanos()).isEqualTo(5 * DOLLAR);
  }

  @Test
  void aLateReleaseOfAnExpiredReservationRefundsTheEstimate() {
    QuotaBucket still = new QuotaBucket("still", "still", 10 * DOLLAR, 0, Duration.ofDays(1));
    Reservation reservation = store.reserve("a", List.of(still), 3 * DOLLAR, Duration.ofMinutes(1))
        .reservation();
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.balances(List.of(still)).get(0).balanceNanos()).isEqualTo(7 * DOLLAR);

    store.release(reservation);

    assertThat(store.balances(List.of(still)).get(0).balanceNanos()).isEqualTo(10 * DOLLAR);
  }

  @Test
  void loweringABucketsCapacityCapsItsBalance() {
    charge(DAILY, 2 * DOLLAR); // $8.00
    QuotaBucket lowered = new QuotaBucket(DAILY.name(), DAILY.definition(), 5 * DOLLAR, DOLLAR,
        Duration.ofDays(1));

    assertThat(store.balances(List.of(lowered)).get(0).balanceNanos()).isEqualTo(5 * DOLLAR);
    charge(lowered, DOLLAR);
    clock.advance(Duration.ofHours(12)); // The new rate: $1.00/day.
    assertThat(store.balances(List.of(lowered)).get(0).balanceNanos()).isEqualTo(4_500_000_000L);
  }

  @Test
  void refillAddsUpToCapacity() {
    charge(DAILY, 9 * DOLLAR);

    assertThat(store.refill(DAILY, 3 * DOLLAR).balanceNanos()).isEqualTo(4 * DOLLAR);
    assertThat(store.refill(DAILY, 100 * DOLLAR).balanceNanos()).isEqualTo(10 * DOLLAR);
    assertThatThrownBy(() -> store.refill(DAILY, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReservationIdCannotBeHeldTwice() {
    store.reserve("a", List.of(DAILY), 1, TTL);

    assertThatThrownBy(() -> store.reserve("a", List.of(DAILY), 1, TTL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'a'");
  }

  @Test
  void aBucketNamedTwiceInOneCallIsChargedOnce() {
    Admission admission = store.reserve("a", List.of(DAILY, DAILY), DOLLAR, TTL);
    assertThat(store.balances(List.of(DAILY)).get(0).reservedNanos()).isEqualTo(DOLLAR);

    store.settle(admission.reservation(), DOLLAR);

    assertThat(balance(DAILY)).isEqualTo(9 * DOLLAR);
  }
}
