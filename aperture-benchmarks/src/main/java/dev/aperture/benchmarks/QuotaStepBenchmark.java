package dev.aperture.benchmarks;

import dev.aperture.QuotaBucket;
import dev.aperture.QuotaStore;
import dev.aperture.redis.RedisQuotaStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.RedisClient;

/**
 * The quota step of one call (reserve, then settle) on the Redis store over loopback, one thread, with
 * 1 and 3 buckets per call; {@link #redisPing} is the floor (one bare round trip; the step is two).
 * Redis from {@code APERTURE_REDIS_URL}, or a redis-server from PATH started for the run.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class QuotaStepBenchmark {
  @Param({"1", "3"})
  public int buckets;

  private final AtomicLong ids = new AtomicLong();
  private Process server;
  private RedisQuotaStore store;
  private RedisClient client;
  private List<QuotaBucket> callBuckets;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String url = System.getenv("APERTURE_REDIS_URL");
    if (url == null || url.isBlank()) url = startRedis();
    String namespace = "bench-" + UUID.randomUUID();
    store = RedisQuotaStore.builder().uri(url).namespace(namespace).commandTimeout(Duration.ofSeconds(2)).build();
    client = RedisClient.create(java.net.URI.create(url));
    callBuckets = new ArrayList<>();
    // Big enough never to refuse during the run, refilling as real buckets do.
    for (int i = 0; i < buckets; i++) {
      callBuckets.add(new QuotaBucket("b" + i, "b" + i, 1_000_000_000_000_000L, 10_000_000_000L, Duration.ofDays(1)));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    client.close();
    if (server != null) server.destroyForcibly();
  }

  @Benchmark
  public void redisReserveAndSettle() {
    QuotaStore.Admission admission = store.reserve("call-" + ids.incrementAndGet(), callBuckets, 2_000_000,
        Duration.ofMinutes(1));
    store.settle(admission.reservation(), 1_234_567);
  }

  @Benchmark
  public String redisPing() {
    return client.ping();
  }

  private String startRedis() throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path dir = Files.createTempDirectory("bench-redis");
    server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectOutput(dir.resolve("redis.log").toFile()).redirectErrorStream(true).start();
    String url = "redis://127.0.0.1:" + port;
    // Bounded wait for the port to accept connections.
    for (int i = 0; i < 100; i++) {
      try (RedisClient probe = RedisClient.create("127.0.0.1", port)) {
        probe.ping();
        return url;
      } catch (RuntimeException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start; set APERTURE_REDIS_URL or install redis-server");
  }
}
