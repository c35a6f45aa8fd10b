package dev.aperture.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaStore.Admission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Redis stopped mid-load and restarted, or slower than the timeout, under both fault policies. Each test
 * runs its own redis-server with an append-only file fsynced on every write, so a kill loses nothing and
 * the final balance can be checked to the nanodollar.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class FaultTest {
  private static final QuotaBucket BUCKET =
      new QuotaBucket("team", "team", 1_000_000_000_000L, 0, Duration.ofDays(1));

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closeables) closeable.close();
  }

  @Test
  void failClosedRefusesWithATypedErrorWhileRedisIsDownThenRecoversAndLosesNoCharge() throws Exception {
    RedisServer server = durableServer();
    RedisQuotaStore store = store(server, FaultPolicy.FAIL_CLOSED, Duration.ZERO);
    Load load = new Load(store);

    Await.until(Duration.ofSeconds(20), "calls before the outage", () -> load.admitted.get() >= 50);
    server.kill();
    load.outage.set(true);
    Await.until(Duration.ofSeconds(20), "refusals during the outage", () -> load.refusals.size() >= 20);
    RedisUnavailableException refusal = load.refusals.peek();
    assertThat(refusal.getMessage()).contains("127.0.0.1:" + server.port()).contains("fail-closed");
    assertThat(refusal.address()).isEqualTo("127.0.0.1:" + server.port());
    assertThat(load.admittedDuringOutage()).as("no call admitted while Redis was down").isZero();

    server.restart();
    long before = load.admitted.get();
    Await.until(Duration.ofSeconds(20), "calls after the restart", () -> load.admitted.get() >= before + 50);
    load.stop();

    // Calls admitted before the kill and settled during it were journaled, even when failing closed.
    store.replayPendingCharges();
    assertThat(store.pendingCharges()).isZero();
    assertThat(store.balances(List.of(BUCKET)).get(0).balanceNanos())
        .isEqualTo(BUCKET.capacityNanos() - load.charged.get());
  }

  @Test
  void failOpenAdmitsWhileRedisIsDownAndReplaysTheJournalWhenItIsBack() throws Exception {
    RedisServer server = durableServer();
    RedisQuotaStore store = store(server, FaultPolicy.FAIL_OPEN, Duration.ofMillis(100));
    Load load = new Load(store);

    Await.until(Duration.ofSeconds(20), "calls before the outage", () -> load.admitted.get() >= 50);
    server.kill();
    load.outage.set(true);
    Await.until(Duration.ofSeconds(20), "calls admitted during the outage", () -> load.admittedDuringOutage() >= 50);
    assertThat(store.uncheckedAdmissions()).isPositive();
    assertThat(store.pendingCharges()).isPositive();
    assertThat(load.refusals).isEmpty();

    server.restart();
    load.outage.set(false);
    long before = load.admitted.get();
    Await.until(Duration.ofSeconds(20), "calls after the restart", () -> load.admitted.get() >= before + 50);
    load.stop();
    // The background replay empties the journal by itself.
    Await.until(Duration.ofSeconds(20), "journal replayed", () -> store.pendingCharges() == 0);

    QuotaBalance end = store.balances(List.of(BUCKET)).get(0);
    assertThat(load.chargedDuringOutage.get()).isPositive();
    assertThat(end.balanceNanos()).isEqualTo(BUCKET.capacityNanos() - load.charged.get());
  }

  @Test
  void redisSlowerThanTheTimeoutRefusesFailingClosedAndNeverChargesTwiceFailingOpen() throws Exception {
    RedisServer server = RedisServer.start();
    closeables.add(server);
    RedisQuotaStore closed = store(server, FaultPolicy.FAIL_CLOSED, Duration.ZERO);
    RedisQuotaStore open = store(server, FaultPolicy.FAIL_OPEN, Duration.ZERO);
    closed.balances(List.of(BUCKET));
    open.balances(List.of(BUCKET));

    try (Jedis admin = new Jedis("127.0.0.1", server.port())) {
      admin.clientPause(3_000);
    }
    assertThatThrownBy(() -> closed.reserve("closed-1", List.of(BUCKET), 1_000, Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(RedisUnavailableException.class, e -> {
          assertThat(e.timedOut()).isTrue();
          assertThat(e.getMessage()).contains("did not answer within 200 ms").contains("fail-closed");
        });
    Admission admission = open.reserve("open-1", List.of(BUCKET), 1_000, Duration.ofSeconds(1));
    assertThat(admission.isAdmitted()).isTrue();
    // This settle times out here but still runs on Redis once the pause ends; the replay must not
    // charge it a second time.
    open.settle(admission.reservation(), 700);
    assertThat(open.pendingCharges()).isEqualTo(1);

    Await.until(Duration.ofSeconds(20), "journal replayed after the pause", () -> {
      open.replayPendingCharges();
      return open.pendingCharges() == 0;
    });
    Await.until(Duration.ofSeconds(20), "late reservations gone",
        () -> open.balances(List.of(BUCKET)).get(0).reservedNanos() == 0);
    // The refused reserve ran once the pause ended and its reservation expired, charging its estimate;
    // the settle of 0 the fail-closed store journaled for it cancels that.
    assertThat(closed.pendingCharges()).isEqualTo(1);
    assertThat(closed.replayPendingCharges()).isEqualTo(1);
    assertThat(open.balances(List.of(BUCKET)).get(0).balanceNanos()).isEqualTo(BUCKET.capacityNanos() - 700);
  }

  @Test
  void aFailOpenStoreWhoseJournalIsFullRefusesRatherThanLoseCharges() {
    RedisServer server = RedisServer.start();
    closeables.add(server);
    RedisQuotaStore store = RedisQuotaStore.builder().uri(server.url()).namespace(RedisServer.namespace())
        .faultPolicy(FaultPolicy.FAIL_OPEN).commandTimeout(Duration.ofMillis(200)).journalCapacity(2)
        .replayInterval(Duration.ZERO).build();
    closeables.add(0, store);
    server.kill();
    Admission first = store.reserve("call-1", List.of(BUCKET), 10, Duration.ofSeconds(1));
    Admission second = store.reserve("call-2", List.of(BUCKET), 10, Duration.ofSeconds(1));
    store.settle(first.reservation(), 10);
    store.settle(second.reservation(), 20);
    assertThat(store.pendingCharges()).isEqualTo(2);
    assertThatThrownBy(() -> store.reserve("call-3", List.of(BUCKET), 10, Duration.ofSeconds(1)))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("journal is full (2 charges pending)");

    server.restart();
    assertThat(store.replayPendingCharges()).isEqualTo(2);
    // A fresh server without persistence: the bucket starts full and has the two charges.
    assertThat(store.balances(List.of(BUCKET)).get(0).balanceNanos()).isEqualTo(BUCKET.capacityNanos() - 30);
  }

  @Test
  void credentialsFromTheUriAreUsedAndNeverShownInAnError() {
    RedisServer server = RedisServer.start("--requirepass", "s3cret-pass");
    closeables.add(server);
    RedisQuotaStore good = RedisQuotaStore.builder().uri("redis://:s3cret-pass@127.0.0.1:" + server.port() + "/2")
        .namespace(RedisServer.namespace()).build();
    closeables.add(0, good);
    assertThat(good.reserve("a", List.of(BUCKET), 10, Duration.ofSeconds(1)).isAdmitted()).isTrue();

    RedisQuotaStore wrong = RedisQuotaStore.builder().uri("redis://:wrong-pass@127.0.0.1:" + server.port())
        .namespace(RedisServer.namespace()).build();
    closeables.add(0, wrong);
    assertThatThrownBy(() -> wrong.reserve("a", List.of(BUCKET), 10, Duration.ofSeconds(1)))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageNotContaining("wrong-pass")
        .hasMessageNotContaining("s3cret-pass");
  }

  private RedisServer durableServer() {
    RedisServer server = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
    closeables.add(server);
    return server;
  }

  private RedisQuotaStore store(RedisServer server, FaultPolicy policy, Duration replayInterval) {
    RedisQuotaStore store = RedisQuotaStore.builder().uri(server.url()).namespace("fault")
        .faultPolicy(policy).commandTimeout(Duration.ofMillis(200)).replayInterval(replayInterval).build();
    // Closed before the server is killed for good.
    closeables.add(0, store);
    return store;
  }

  /** Four threads calling reserve and settle until stopped (and at most 20,000 calls or 40 s). */
  private static final class Load {
    final AtomicLong admitted = new AtomicLong();
    final AtomicLong charged = new AtomicLong();
    final AtomicLong chargedDuringOutage = new AtomicLong();
    final AtomicLong outageAdmissions = new AtomicLong();
    final AtomicBoolean outage = new AtomicBoolean();
    final ConcurrentLinkedQueue<RedisUnavailableException> refusals = new ConcurrentLinkedQueue<>();
    final AtomicBoolean stopped = new AtomicBoolean();
    final List<Thread> threads = new ArrayList<>();

    Load(RedisQuotaStore store) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      for (int t = 0; t < 4; t++) {
        int thread = t;
        Thread worker = new Thread(() -> {
          for (int i = 0; i < 5_000 && !stopped.get() && System.nanoTime() < deadline; i++) {
            // Read before the call: a call that started once Redis was down must not be admitted.
            boolean down = outage.get();
            Admission admission;
            try {
              admission = store.reserve("load-" + thread + "-" + i, List.of(BUCKET), 1_000, Duration.ofSeconds(2));
            } catch (RedisUnavailableException e) {
              refusals.add(e);
              continue;
            }
            admitted.incrementAndGet();
            if (down) outageAdmissions.incrementAndGet();
            long actual = 1 + (i * 7L + thread) % 1_000;
            store.settle(admission.reservation(), actual);
            charged.addAndGet(actual);
            if (down) chargedDuringOutage.addAndGet(actual);
          }
        });
        threads.add(worker);
        worker.start();
      }
    }

    long admittedDuringOutage() {
      return outageAdmissions.get();
    }

    void stop() throws InterruptedException {
      stopped.set(true);
      for (Thread thread : threads) thread.join(TimeUnit.SECONDS.toMillis(30));
    }
  }
}
