package dev.aperture.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.CooldownStore.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two store instances on one Redis stand for two nodes. */
final class RedisCooldownStoreTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closeables) closeable.close();
  }

  @Test
  void aRouteCooledOnOneNodeIsCoolingOnTheOtherAtOnceThenNeedsOneProbe() throws Exception {
    String namespace = RedisServer.namespace();
    RedisCooldownStore nodeA = store(RedisServer.sharedUrl(), namespace, FaultPolicy.FAIL_CLOSED);
    RedisCooldownStore nodeB = store(RedisServer.sharedUrl(), namespace, FaultPolicy.FAIL_CLOSED);
    assertThat(nodeB.state("openrouter/gpt")).isEqualTo(State.AVAILABLE);

    nodeA.coolDown("openrouter/gpt", Duration.ofMillis(400));

    // Every check reads Redis: the other node sees it with no delay.
    assertThat(nodeB.state("openrouter/gpt")).isEqualTo(State.COOLING);
    assertThat(nodeB.claimProbe("openrouter/gpt", Duration.ofSeconds(30))).isFalse();
    assertThat(nodeB.state("openrouter/other")).isEqualTo(State.AVAILABLE);
    Await.until(Duration.ofSeconds(10), "cooldown over", () -> nodeB.state("openrouter/gpt") == State.PROBE);
    assertThat(nodeA.state("openrouter/gpt")).isEqualTo(State.PROBE);

    // Sixteen threads on each node race for the probe: exactly one wins.
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> claims = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      RedisCooldownStore node = i % 2 == 0 ? nodeA : nodeB;
      claims.add(pool.submit(() -> {
        start.await();
        return node.claimProbe("openrouter/gpt", Duration.ofSeconds(30));
      }));
    }
    start.countDown();
    int won = 0;
    for (Future<Boolean> claim : claims) if (claim.get(10, TimeUnit.SECONDS)) won++;
    pool.shutdown();
    assertThat(won).isEqualTo(1);

    nodeB.clear("openrouter/gpt");
    assertThat(nodeA.state("openrouter/gpt")).isEqualTo(State.AVAILABLE);
  }

  @Test
  void aProbeClaimExpiresAfterItsWindowSoADeadProberIsReplaced() {
    String namespace = RedisServer.namespace();
    RedisCooldownStore nodeA = store(RedisServer.sharedUrl(), namespace, FaultPolicy.FAIL_CLOSED);
    RedisCooldownStore nodeB = store(RedisServer.sharedUrl(), namespace, FaultPolicy.FAIL_CLOSED);
    nodeA.coolDown("route", Duration.ofMillis(1));
    Await.until(Duration.ofSeconds(10), "cooldown over", () -> nodeA.state("route") == State.PROBE);

    assertThat(nodeA.claimProbe("route", Duration.ofMillis(300))).isTrue();
    assertThat(nodeB.claimProbe("route", Duration.ofMillis(300))).isFalse();
    Await.until(Duration.ofSeconds(10), "claim window over", () -> nodeB.claimProbe("route", Duration.ofSeconds(30)));
    assertThat(nodeA.claimProbe("route", Duration.ofSeconds(30))).isFalse();
  }

  @Test
  void coolingDownAgainDropsTheOldProbeClaim() {
    String namespace = RedisServer.namespace();
    RedisCooldownStore node = store(RedisServer.sharedUrl(), namespace, FaultPolicy.FAIL_CLOSED);
    node.coolDown("route", Duration.ofMillis(1));
    Await.until(Duration.ofSeconds(10), "cooldown over", () -> node.state("route") == State.PROBE);
    assertThat(node.claimProbe("route", Duration.ofMinutes(5))).isTrue();

    node.coolDown("route", Duration.ofMillis(1));
    Await.until(Duration.ofSeconds(10), "cooldown over", () -> node.state("route") == State.PROBE);

    assertThat(node.claimProbe("route", Duration.ofMinutes(5))).isTrue();
  }

  @Test
  void withRedisDownAFailOpenNodeKeepsItsOwnCooldownsAndAFailClosedOneThrows() {
    RedisServer server = RedisServer.start();
    closeables.add(server);
    MutableClock clock = new MutableClock();
    RedisCooldownStore open = RedisCooldownStore.builder().uri(server.url()).namespace("down")
        .commandTimeout(Duration.ofMillis(200)).clock(clock).build();
    RedisCooldownStore closed = store(server.url(), "down", FaultPolicy.FAIL_CLOSED);
    closeables.add(0, open);
    server.kill();

    assertThatThrownBy(() -> closed.state("route"))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + server.port());
    assertThat(open.state("route")).isEqualTo(State.AVAILABLE);
    open.coolDown("route", Duration.ofSeconds(10));
    assertThat(open.state("route")).isEqualTo(State.COOLING);
    clock.advance(Duration.ofSeconds(10));
    assertThat(open.state("route")).isEqualTo(State.PROBE);
    assertThat(open.claimProbe("route", Duration.ofSeconds(5))).isTrue();
    assertThat(open.claimProbe("route", Duration.ofSeconds(5))).isFalse();
    open.clear("route");
    assertThat(open.state("route")).isEqualTo(State.AVAILABLE);

    // Back: Redis is the truth again.
    server.restart();
    assertThat(open.state("route")).isEqualTo(State.AVAILABLE);
    closed.coolDown("route", Duration.ofMinutes(1));
    assertThat(open.state("route")).isEqualTo(State.COOLING);
  }

  private RedisCooldownStore store(String url, String namespace, FaultPolicy policy) {
    RedisCooldownStore store = RedisCooldownStore.builder().uri(url).namespace(namespace).faultPolicy(policy)
        .commandTimeout(Duration.ofMillis(policy == FaultPolicy.FAIL_OPEN ? 200 : 2_000)).build();
    closeables.add(0, store);
    return store;
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
