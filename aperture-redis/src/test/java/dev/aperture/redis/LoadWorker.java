package dev.aperture.redis;

import dev.aperture.QuotaBucket;
import dev.aperture.QuotaStore.Admission;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One "node" of the multi-process tests, started by them in its own JVM.
 *
 * <p>{@code hammer url namespace capacity estimate threads ops}: says READY, waits for GO on stdin,
 * then each thread reserves and settles {@code ops} times (bounded by 30 s) and the node prints
 * {@code RESULT charged admitted refused pending}, where charged is the sum of the settled costs.
 *
 * <p>{@code hold url namespace capacity estimate count ttlMillis}: reserves {@code count} times, prints
 * {@code HELD admitted} and waits to be killed.
 */
public final class LoadWorker {
  private LoadWorker() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String url = args[1];
    String namespace = args[2];
    long capacity = Long.parseLong(args[3]);
    long estimate = Long.parseLong(args[4]);
    int count = Integer.parseInt(args[5]);
    QuotaBucket bucket = new QuotaBucket("shared", "shared", capacity, 0, Duration.ofDays(1));
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String node = ProcessHandle.current().pid() + "";
    try (RedisQuotaStore store = RedisQuotaStore.builder().uri(url).namespace(namespace)
        .commandTimeout(Duration.ofSeconds(5)).poolSize(count).build()) {
      if (mode.equals("hold")) {
        Duration ttl = Duration.ofMillis(Long.parseLong(args[6]));
        int admitted = 0;
        for (int i = 0; i < count; i++) {
          if (store.reserve(node + "-held-" + i, List.of(bucket), estimate, ttl).isAdmitted()) admitted++;
        }
        System.out.println("HELD " + admitted);
        System.out.flush();
        stdin.readLine();
        return;
      }
      int ops = Integer.parseInt(args[6]);
      store.balances(List.of(bucket));
      System.out.println("READY");
      System.out.flush();
      if (!"GO".equals(stdin.readLine())) throw new IllegalStateException("no GO");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      ExecutorService pool = Executors.newFixedThreadPool(count);
      List<Future<long[]>> results = new ArrayList<>();
      for (int t = 0; t < count; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          long charged = 0;
          long admitted = 0;
          long refused = 0;
          for (int i = 0; i < ops && System.nanoTime() < deadline; i++) {
            Admission admission = store.reserve(node + "-" + thread + "-" + i, List.of(bucket), estimate,
                Duration.ofMinutes(1));
            if (!admission.isAdmitted()) {
              refused++;
              continue;
            }
            admitted++;
            long actual = ThreadLocalRandom.current().nextLong(1, estimate + 1);
            store.settle(admission.reservation(), actual);
            charged += actual;
          }
          return new long[] {charged, admitted, refused};
        }));
      }
      long charged = 0;
      long admitted = 0;
      long refused = 0;
      for (Future<long[]> result : results) {
        long[] r = result.get();
        charged += r[0];
        admitted += r[1];
        refused += r[2];
      }
      pool.shutdown();
      store.replayPendingCharges();
      System.out.println("RESULT " + charged + " " + admitted + " " + refused + " " + store.pendingCharges());
      System.out.flush();
    }
  }
}
