package dev.aperture.internal.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.Money;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaExceededException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class QuotaGateTest {
  private static final long DOLLAR = Money.NANOS_PER_DOLLAR;
  private static final QuotaBucket DAILY = new QuotaBucket("daily:alice@example.com", "daily:<user>",
      10 * DOLLAR, 5 * DOLLAR, Duration.ofDays(1));
  private static final QuotaBucket MODEL = new QuotaBucket("opus:alice@example.com", "opus:<user>",
      2 * DOLLAR, 2 * DOLLAR, Duration.ofDays(1));

  private final TestClock clock = new TestClock();
  private final QuotaGate gate = QuotaGate.inMemory(clock);

  private long balance(QuotaBucket bucket) {
    return gate.balances(List.of(bucket)).get(0).balanceNanos();
  }

  @Test
  void anAdmittedCallIsSettledToItsActualCostOnEveryBucket() {
    QuotaGate.Reservation reservation = gate.admit(List.of(DAILY, MODEL), DOLLAR, "req-1");
    assertThat(gate.balances(List.of(DAILY, MODEL))).extracting(QuotaBalance::reservedNanos)
        .containsExactly(DOLLAR, DOLLAR);

    assertThat(gate.settle(reservation, 1_500_000_000L)).isTrue();

    assertThat(gate.balances(List.of(DAILY, MODEL)))
        .extracting(QuotaBalance::balanceNanos, QuotaBalance::reservedNanos)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(8_500_000_000L, 0L),
            org.assertj.core.groups.Tuple.tuple(500_000_000L, 0L));
  }

  @Test
  void aRefusalNamesTheBucketWhatIsAvailableAndWhenToRetry() {
    gate.settle(gate.admit(List.of(MODEL), 0, "req-1"), 3 * DOLLAR); // -$1.00 on the model bucket.

    QuotaExceededException refusal = catchThrowableOfType(QuotaExceededException.class,
        () -> gate.admit(List.of(DAILY, MODEL), DOLLAR, "req-2"));

    assertThat(refusal.bucket()).isEqualTo("opus:alice@example.com");
    assertThat(refusal.availableNanos()).isEqualTo(-DOLLAR);
    // $1.000000001 at $2.00/day.
    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofNanos((DOLLAR + 1) * 86_400L / 2));
    assertThat(refusal.getMessage())
        .isEqualTo("quota 'opus:alice@example.com' is exhausted (available -$1.00); retry in 12 h");
    assertThat(balance(DAILY)).isEqualTo(10 * DOLLAR); // Nothing was reserved on the other bucket.
  }

  @Test
  void aZeroDollarBucketRejectsEveryCall() {
    QuotaBucket none = new QuotaBucket("blocked", "blocked", 0, 0, Duration.ofDays(1));

    for (int i = 0; i < 3; i++) {
      QuotaExceededException refusal = catchThrowableOfType(QuotaExceededException.class,
          () -> gate.admit(List.of(none), 0, "req"));
      assertThat(refusal.bucket()).isEqualTo("blocked");
      assertThat(refusal.retryAfter()).isEqualTo(QuotaBucket.FOREVER);
      clock.advance(Duration.ofDays(1));
    }
  }

  @Test
  void settlingTwiceChargesOnce() {
    QuotaGate.Reservation reservation = gate.admit(List.of(DAILY), DOLLAR, "req-1");

    assertThat(gate.settle(reservation, 2 * DOLLAR)).isTrue();
    assertThat(gate.settle(reservation, 2 * DOLLAR)).isFalse();

    assertThat(balance(DAILY)).isEqualTo(8 * DOLLAR);
    assertThat(reservation.isSettled()).isTrue();
  }

  @Test
  void releaseAfterSettleChangesNothing() {
    QuotaGate.Reservation reservation = gate.admit(List.of(DAILY), DOLLAR, "req-1");
    gate.settle(reservation, 2 * DOLLAR);

    assertThat(gate.release(reservation)).isFalse();

    assertThat(balance(DAILY)).isEqualTo(8 * DOLLAR);
  }

  @Test
  void settleAfterReleaseChargesNothing() {
    QuotaGate.Reservation reservation = gate.admit(List.of(DAILY), DOLLAR, "req-1");

    assertThat(gate.release(reservation)).isTrue();
    assertThat(gate.settle(reservation, 2 * DOLLAR)).isFalse();

    QuotaBalance balance = gate.balances(List.of(DAILY)).get(0);
    assertThat(balance.balanceNanos()).isEqualTo(10 * DOLLAR);
    assertThat(balance.reservedNanos()).isZero();
    assertThat(reservation.isOpen()).isFalse();
  }

  @Test
  void aCallWithoutBucketsIsAdmittedWithoutTouchingTheStore() {
    QuotaGate.Reservation reservation = gate.admit(List.of(), DOLLAR, "req-1");

    assertThat(reservation.id()).isNull();
    assertThat(gate.settle(reservation, DOLLAR)).isTrue();
    assertThat(((InMemoryQuotaStore) gate.store()).toString()).contains("buckets=0");
  }

  @Test
  void reusedRequestIdsGetDistinctReservations() {
    QuotaGate.Reservation first = gate.admit(List.of(DAILY), DOLLAR, "same");
    QuotaGate.Reservation second = gate.admit(List.of(DAILY), DOLLAR, "same");

    assertThat(first.id()).isNotEqualTo(second.id()).startsWith("same#");
    gate.settle(first, DOLLAR);
    gate.settle(second, DOLLAR);
    assertThat(balance(DAILY)).isEqualTo(8 * DOLLAR);
  }

  @Test
  void aModelScopedBucketOnlyLimitsTheCallsThatCarryIt() {
    // Grants decide which buckets a call carries; the gate enforces exactly those.
    gate.settle(gate.admit(List.of(DAILY, MODEL), 0, "opus-1"), 2 * DOLLAR);

    catchThrowableOfType(QuotaExceededException.class, () -> gate.admit(List.of(DAILY, MODEL), 0, "opus-2"));
    QuotaGate.Reservation other = gate.admit(List.of(DAILY), 0, "haiku-1");

    assertThat(other.isOpen()).isTrue();
    assertThat(balance(DAILY)).isEqualTo(8 * DOLLAR);
  }

  @Test
  void refillThroughTheGateIsCappedAtCapacity() {
    gate.settle(gate.admit(List.of(DAILY), 0, "req-1"), 9 * DOLLAR);

    assertThat(gate.refill(DAILY, 5 * DOLLAR).balanceNanos()).isEqualTo(6 * DOLLAR);
    assertThat(gate.refill(DAILY, 5 * DOLLAR).balanceNanos()).isEqualTo(10 * DOLLAR);
  }

  @Test
  void anExpiredReservationSettledLateIsChargedExactlyItsActualCost() {
    QuotaGate shortTtl = new QuotaGate(new InMemoryQuotaStore(clock), Duration.ofMinutes(1));
    QuotaBucket still = new QuotaBucket("still", "still", 10 * DOLLAR, 0, Duration.ofDays(1));
    QuotaGate.Reservation reservation = shortTtl.admit(List.of(still), 2 * DOLLAR, "long-stream");

    clock.advance(Duration.ofMinutes(5));
    assertThat(shortTtl.balances(List.of(still)).get(0).balanceNanos()).isEqualTo(8 * DOLLAR);
    shortTtl.settle(reservation, 3 * DOLLAR);

    assertThat(shortTtl.balances(List.of(still)).get(0).balanceNanos()).isEqualTo(7 * DOLLAR);
  }
}
