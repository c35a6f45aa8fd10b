package dev.aperture.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several JVMs, each a node with many threads, spending one bucket on one Redis. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class MultiProcessTest {
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killWorkers() {
    for (Process process : processes) process.destroyForcibly();
  }

  @Test
  void nodesTogetherNeverChargeMoreThanCapacityPlusOneEstimateAndLoseOrDoubleNothing() throws Exception {
    String url = RedisServer.sharedUrl();
    String namespace = RedisServer.namespace();
    long capacity = 300_000;
    long estimate = 2_000;
    int nodes = 3;
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      workers.add(start("hammer", url, namespace, capacity, estimate, 6, 80));
    }
    for (Worker worker : workers) assertThat(worker.readLine()).isEqualTo("READY");
    // All nodes start at once, so their calls really overlap.
    for (Worker worker : workers) worker.send("GO");

    long charged = 0;
    long admitted = 0;
    long refused = 0;
    for (Worker worker : workers) {
      String[] result = worker.readLine().split(" ");
      assertThat(result[0]).isEqualTo("RESULT");
      charged += Long.parseLong(result[1]);
      admitted += Long.parseLong(result[2]);
      refused += Long.parseLong(result[3]);
      assertThat(Long.parseLong(result[4])).as("charges left unreplayed").isZero();
      assertThat(worker.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.process.exitValue()).isZero();
    }

    QuotaBucket bucket = new QuotaBucket("shared", "shared", capacity, 0, Duration.ofDays(1));
    try (RedisQuotaStore store = RedisQuotaStore.builder().uri(url).namespace(namespace).build()) {
      QuotaBalance end = store.balances(List.of(bucket)).get(0);
      assertThat(admitted).isGreaterThan(capacity / estimate);
      assertThat(refused).as("the bucket ran out while the nodes hammered it").isPositive();
      assertThat(end.reservedNanos()).isZero();
      // No lost and no double charge: what the nodes were told they paid is what the bucket lost.
      assertThat(charged).isEqualTo(capacity - end.balanceNanos());
      // The documented slack: one estimate less a nanodollar (the last admission needs only 1 left).
      assertThat(charged).isLessThanOrEqualTo(capacity + estimate - 1);
    }
  }

  @Test
  void reservationsOfANodeKilledWhileHoldingThemExpireAndAreChargedTheirEstimates() throws Exception {
    String url = RedisServer.sharedUrl();
    String namespace = RedisServer.namespace();
    QuotaBucket bucket = new QuotaBucket("shared", "shared", 1_000, 0, Duration.ofDays(1));
    Worker node = start("hold", url, namespace, 1_000, 500, 2, 1_000);
    assertThat(node.readLine()).isEqualTo("HELD 2");

    try (RedisQuotaStore store = RedisQuotaStore.builder().uri(url).namespace(namespace).build()) {
      assertThat(store.balances(List.of(bucket))).containsExactly(new QuotaBalance(bucket, 1_000, 1_000));
      assertThat(store.reserve("survivor-1", List.of(bucket), 1, Duration.ofMinutes(1)).isAdmitted()).isFalse();

      node.process.destroyForcibly();
      assertThat(node.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

      Await.until(Duration.ofSeconds(15), "the dead node's reservations expired",
          () -> store.balances(List.of(bucket)).get(0).reservedNanos() == 0);
      // The dead node most likely called the provider for both: their estimates (2 × 500) are spent.
      assertThat(store.balances(List.of(bucket))).containsExactly(new QuotaBalance(bucket, 0, 0));
      assertThat(store.reserve("survivor-2", List.of(bucket), 1, Duration.ofMinutes(1)).isAdmitted()).isFalse();
    }
  }

  private Worker start(String mode, String url, String namespace, long capacity, long estimate, int count,
      long last) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), LoadWorker.class.getName(),
        mode, url, namespace, Long.toString(capacity), Long.toString(estimate), Integer.toString(count),
        Long.toString(last));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(process);
    return new Worker(process);
  }

  private static final class Worker {
    final Process process;
    final BufferedReader out;
    final Writer in;

    Worker(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    String readLine() throws IOException {
      String line = out.readLine();
      if (line == null) throw new AssertionError("worker ended without answering");
      return line;
    }

    void send(String line) throws IOException {
      in.write(line + "\n");
      in.flush();
    }
  }
}
