package dev.aperture.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaStore.Admission;
import dev.aperture.QuotaStore.Reservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

final class RedisQuotaStoreTest {
  private static final Duration TTL = Duration.ofMinutes(1);
  /** Refill rate 0 during a test: balances then change only by what the test does. */
  private static final QuotaBucket DAILY = new QuotaBucket("daily:alice", "daily:<user>", 1_000, 0, Duration.ofDays(1));
  private static final QuotaBucket TEAM = new QuotaBucket("team", "team", 5_000, 0, Duration.ofDays(1));

  private String namespace;
  private RedisQuotaStore store;

  @BeforeEach
  void setUp() {
    namespace = RedisServer.namespace();
    store = RedisQuotaStore.builder().uri(RedisServer.sharedUrl()).namespace(namespace)
        .commandTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void aNewBucketStartsFull() {
    assertThat(store.balances(List.of(DAILY, TEAM)))
        .containsExactly(new QuotaBalance(DAILY, 1_000, 0), new QuotaBalance(TEAM, 5_000, 0));
  }

  @Test
  void reserveHoldsTheEstimateOnEveryBucketAndSettleChargesTheActualCost() {
    Admission admission = store.reserve("call-1", List.of(DAILY, TEAM), 300, TTL);
    assertThat(admission.isAdmitted()).isTrue();
    assertThat(store.balances(List.of(DAILY, TEAM)))
        .containsExactly(new QuotaBalance(DAILY, 1_000, 300), new QuotaBalance(TEAM, 5_000, 300));

    store.settle(admission.reservation(), 120);

    assertThat(store.balances(List.of(DAILY, TEAM)))
        .containsExactly(new QuotaBalance(DAILY, 880, 0), new QuotaBalance(TEAM, 4_880, 0));
  }

  @Test
  void releaseChargesNothing() {
    Admission admission = store.reserve("call-1", List.of(DAILY), 300, TTL);
    store.release(admission.reservation());
    store.release(admission.reservation());
    assertThat(store.balances(List.of(DAILY))).containsExactly(new QuotaBalance(DAILY, 1_000, 0));
  }

  @Test
  void aCallIsAdmittedWhileBalanceLessReservationsIsPositiveAndRefusedByTheFirstBucketThatIsNot() {
    assertThat(store.reserve("a", List.of(TEAM, DAILY), 600, TTL).isAdmitted()).isTrue();
    assertThat(store.reserve("b", List.of(TEAM, DAILY), 399, TTL).isAdmitted()).isTrue();
    // DAILY: 1000 - 999 = 1 > 0, still admitted; then it is at -599.
    assertThat(store.reserve("c", List.of(TEAM, DAILY), 600, TTL).isAdmitted()).isTrue();

    Admission refused = store.reserve("d", List.of(TEAM, DAILY), 1, TTL);

    assertThat(refused.isAdmitted()).isFalse();
    assertThat(refused.refusedBy()).isEqualTo(new QuotaBalance(DAILY, 1_000, 1_599));
    assertThat(refused.retryAfter()).isEqualTo(QuotaBucket.FOREVER);
    // A refusal reserves nothing anywhere.
    assertThat(store.balances(List.of(TEAM))).containsExactly(new QuotaBalance(TEAM, 5_000, 1_599));
  }

  @Test
  void aRefusalSaysWhenTheBucketIsPositiveAgainAtItsRate() {
    QuotaBucket hourly = new QuotaBucket("hourly", "hourly", 3_600, 3_600, Duration.ofHours(1));
    Admission admission = store.reserve("a", List.of(hourly), 3_600, TTL);
    store.settle(admission.reservation(), 3_600 + 7_200);

    Admission refused = store.reserve("b", List.of(hourly), 1, TTL);

    assertThat(refused.isAdmitted()).isFalse();
    long available = refused.refusedBy().availableNanos();
    assertThat(available).isLessThanOrEqualTo(-7_199);
    assertThat(refused.retryAfter()).isEqualTo(hourly.timeUntilPositive(available));
  }

  @Test
  void aSettleReplayedForTheSameReservationChargesOnce() {
    Reservation reservation = store.reserve("call-1", List.of(DAILY), 100, TTL).reservation();
    store.settle(reservation, 100);
    store.settle(reservation, 100);
    assertThat(store.balances(List.of(DAILY))).containsExactly(new QuotaBalance(DAILY, 900, 0));
  }

  @Test
  void aBucketNamedTwiceInOneCallIsChargedOnce() {
    Reservation reservation = store.reserve("call-1", List.of(DAILY, DAILY), 100, TTL).reservation();
    assertThat(store.balances(List.of(DAILY, DAILY)))
        .containsExactly(new QuotaBalance(DAILY, 1_000, 100), new QuotaBalance(DAILY, 1_000, 100));
    store.settle(reservation, 100);
    assertThat(store.balances(List.of(DAILY))).containsExactly(new QuotaBalance(DAILY, 900, 0));
  }

  @Test
  void refillAddsUpToCapacity() {
    Reservation reservation = store.reserve("call-1", List.of(DAILY), 100, TTL).reservation();
    store.settle(reservation, 700);
    assertThat(store.refill(DAILY, 500)).isEqualTo(new QuotaBalance(DAILY, 800, 0));
    assertThat(store.refill(DAILY, 500)).isEqualTo(new QuotaBalance(DAILY, 1_000, 0));
  }

  @Test
  void aDefinitionEditedDownCapsTheBalance() {
    store.balances(List.of(DAILY));
    QuotaBucket smaller = new QuotaBucket(DAILY.name(), DAILY.definition(), 400, 0, Duration.ofDays(1));
    assertThat(store.balances(List.of(smaller))).containsExactly(new QuotaBalance(smaller, 400, 0));
  }

  @Test
  void aBucketRefillsOnTheRedisClock() {
    // $1 capacity refilling $1 per 100 ms: drained, it is positive again soon after.
    QuotaBucket fast = new QuotaBucket("fast", "fast", 1_000_000_000, 1_000_000_000, Duration.ofMillis(100));
    Reservation reservation = store.reserve("a", List.of(fast), 1, TTL).reservation();
    store.settle(reservation, 3_000_000_000L);
    long drained = store.balances(List.of(fast)).get(0).balanceNanos();
    assertThat(drained).isLessThan(0);
    Await.until(Duration.ofSeconds(10), "refilled to capacity",
        () -> store.balances(List.of(fast)).get(0).balanceNanos() == 1_000_000_000);
  }

  @Test
  void keysLiveUntilAFullRefillAndABucketThatNeverRefillsNeverExpires() {
    QuotaBucket weekly = new QuotaBucket("weekly", "weekly", 7_000, 1_000, Duration.ofDays(1));
    Reservation reservation = store.reserve("a", List.of(weekly, DAILY), 10, TTL).reservation();
    store.settle(reservation, 7_000);
    try (RedisClient redis = RedisClient.create(java.net.URI.create(RedisServer.sharedUrl()))) {
      // Empty, it takes 7 days to refill: the key outlives that (plus the margin), and not by much more.
      long ttl = redis.pttl(namespace + ":q:weekly");
      assertThat(ttl).isGreaterThan(Duration.ofDays(7).toMillis())
          .isLessThanOrEqualTo(Duration.ofDays(7).plusMinutes(1).toMillis() + 1);
      assertThat(redis.pttl(namespace + ":q:daily:alice")).isEqualTo(-1);
    }
  }

  @Test
  void aReservationWhoseHolderNeverSettlesExpiresAndIsChargedItsEstimate() {
    Admission held = store.reserve("dead", List.of(DAILY, TEAM), 1_000, Duration.ofMillis(300));
    assertThat(held.isAdmitted()).isTrue();
    assertThat(store.reserve("other", List.of(DAILY), 1, TTL).isAdmitted()).isFalse();

    Await.until(Duration.ofSeconds(10), "the dead reservation expired",
        () -> store.balances(List.of(DAILY)).get(0).reservedNanos() == 0);

    // Its holder most likely called the provider before dying: the estimate is spent, on every bucket.
    assertThat(store.balances(List.of(DAILY, TEAM)))
        .containsExactly(new QuotaBalance(DAILY, 0, 0), new QuotaBalance(TEAM, 4_000, 0));
    assertThat(store.reserve("other", List.of(DAILY), 1, TTL).isAdmitted()).isFalse();
    try (RedisClient redis = RedisClient.create(java.net.URI.create(RedisServer.sharedUrl()))) {
      assertThat(redis.get(namespace + ":qx:dead")).isEqualTo("1000");
      assertThat(redis.pttl(namespace + ":qx:dead")).isPositive();
    }
  }

  @Test
  void aLateSettleOfAnExpiredReservationChargesOnlyTheDifferenceFromItsEstimate() {
    Reservation refunded = store.reserve("late-1", List.of(DAILY, TEAM), 400, Duration.ofMillis(300)).reservation();
    Reservation topped = store.reserve("late-2", List.of(DAILY), 100, Duration.ofMillis(300)).reservation();
    // Only DAILY is read while waiting: TEAM's share of late-1 expires in the settle's own script.
    Await.until(Duration.ofSeconds(10), "the reservations expired",
        () -> store.balances(List.of(DAILY)).get(0).reservedNanos() == 0);
    assertThat(store.balances(List.of(DAILY))).containsExactly(new QuotaBalance(DAILY, 500, 0));

    store.settle(refunded, 150);
    store.settle(topped, 250);

    // 150 and 250 charged in all, on each bucket of each call: the estimates were corrected, not doubled.
    assertThat(store.balances(List.of(DAILY, TEAM)))
        .containsExactly(new QuotaBalance(DAILY, 600, 0), new QuotaBalance(TEAM, 4_850, 0));
    // A replayed late settle charges nothing more, and a release after it refunds nothing.
    store.settle(refunded, 150);
    store.release(topped);
    assertThat(store.balances(List.of(DAILY, TEAM)))
        .containsExactly(new QuotaBalance(DAILY, 600, 0), new QuotaBalance(TEAM, 4_850, 0));
  }

  @Test
  void aLateReleaseOfAnExpiredReservationRefundsItsEstimateOnce() {
    Reservation reservation = store.reserve("late", List.of(DAILY, TEAM), 300, Duration.ofMillis(300)).reservation();
    Await.until(Duration.ofSeconds(10), "the reservation expired",
        () -> store.balances(List.of(DAILY)).get(0).reservedNanos() == 0);
    assertThat(store.balances(List.of(DAILY))).containsExactly(new QuotaBalance(DAILY, 700, 0));

    store.release(reservation);
    store.release(reservation);

    assertThat(store.balances(List.of(DAILY, TEAM)))
        .containsExactly(new QuotaBalance(DAILY, 1_000, 0), new QuotaBalance(TEAM, 5_000, 0));
    try (RedisClient redis = RedisClient.create(java.net.URI.create(RedisServer.sharedUrl()))) {
      assertThat(redis.exists(namespace + ":qx:late")).isFalse();
    }
  }

  @Test
  void aReserveRetriedAfterItsReservationExpiredHoldsNothing() {
    store.reserve("late", List.of(DAILY), 300, Duration.ofMillis(300));
    Await.until(Duration.ofSeconds(10), "the reservation expired",
        () -> store.balances(List.of(DAILY)).get(0).reservedNanos() == 0);

    assertThat(store.reserve("late", List.of(DAILY), 300, TTL).isAdmitted()).isTrue();

    assertThat(store.balances(List.of(DAILY))).containsExactly(new QuotaBalance(DAILY, 700, 0));
  }

  @Test
  void threadsOfOneJvmNeverChargeMoreThanCapacityPlusOneEstimateAndLoseNothing() throws Exception {
    QuotaBucket shared = new QuotaBucket("shared", "shared", 200_000, 0, Duration.ofDays(1));
    long estimate = 1_000;
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(pool.submit(() -> {
        start.await();
        long charged = 0;
        long refused = 0;
        for (int i = 0; i < 60; i++) {
          Admission admission = store.reserve("t" + thread + "-" + i, List.of(shared), estimate, TTL);
          if (!admission.isAdmitted()) {
            refused++;
            continue;
          }
          long actual = 1 + (thread * 31L + i * 17L) % estimate;
          store.settle(admission.reservation(), actual);
          charged += actual;
        }
        return new long[] {charged, refused};
      }));
    }
    start.countDown();
    long charged = 0;
    long refused = 0;
    for (Future<long[]> result : results) {
      long[] r = result.get(30, TimeUnit.SECONDS);
      charged += r[0];
      refused += r[1];
    }
    pool.shutdown();

    QuotaBalance end = store.balances(List.of(shared)).get(0);
    assertThat(refused).isPositive();
    assertThat(end.reservedNanos()).isZero();
    assertThat(charged).isEqualTo(shared.capacityNanos() - end.balanceNanos());
    assertThat(charged).isLessThanOrEqualTo(shared.capacityNanos() + estimate - 1);
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(() -> store.reserve("a", List.of(DAILY), -1, TTL)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.reserve("a", List.of(DAILY), 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisQuotaStore.builder().uri("http://localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis://");
  }
}
