package dev.aperture.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time per call, the figure that contention on a shared machine disturbs least: for each way of making
 * the chat call (and the streamed one), the CPU time of the calling thread and of the whole process per
 * call, over rounds that interleave the ways so that a change in background load hits them all alike.
 *
 * <p>The calling thread does all of a blocking OkHttp call's work (writing, reading, parsing), so its CPU
 * time is the client's cost; the process figure adds the stub's thread, the JIT and the GC. Prints a
 * Markdown table: mean ± 95% confidence half-width over the rounds, and the ratio to the raw floor.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.aperture.benchmarks.CpuPerCall [rounds] [callsPerRound]}.
 */
public final class CpuPerCall {
  private CpuPerCall() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    ChatCallBenchmark chat = new ChatCallBenchmark();
    StreamBenchmark stream = new StreamBenchmark();
    chat.setUp();
    stream.setUp();
    try {
      Map<String, Supplier<Object>> ways = new LinkedHashMap<>();
      ways.put("chat: raw OkHttp + Moshi (floor)", chat::rawOkHttp);
      ways.put("chat: (diagnostic) floor + per-call timeout", chat::rawOkHttpWithCallTimeout);
      ways.put("chat: Router → OpenRouter provider", chat::router);
      ways.put("chat: openai-java", chat::openAiJava);
      ways.put("chat: LangChain4j", chat::langChain4j);
      ways.put("stream: raw OkHttp SSE (floor)", stream::rawWholeStream);
      ways.put("stream: router.stream", stream::routerWholeStream);
      System.out.print(measure(ways, rounds, calls));
    } finally {
      chat.tearDown();
      stream.tearDown();
    }
  }

  static String measure(Map<String, Supplier<Object>> ways, int rounds, int calls) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    ways.keySet().forEach(name -> samples.put(name, new ArrayList<>()));
    // Warm-up: long enough for C2 to compile every path (a few thousand calls were not: the Router's
    // codec was still interpreted and looked 1.5x slower than it is).
    for (Map.Entry<String, Supplier<Object>> way : ways.entrySet()) {
      long end = System.nanoTime() + WARMUP_NANOS;
      while (System.nanoTime() < end) consume(way.getValue().get());
    }
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Supplier<Object>> way : ways.entrySet()) {
        long thread0 = threads.getCurrentThreadCpuTime();
        long process0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < calls; i++) consume(way.getValue().get());
        long wall = System.nanoTime() - wall0;
        long process = os.getProcessCpuTime() - process0;
        long thread = threads.getCurrentThreadCpuTime() - thread0;
        samples.get(way.getKey()).add(new double[] {
            thread / 1e3 / calls, process / 1e3 / calls, wall / 1e3 / calls});
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "### CPU time per call (%d rounds × %,d calls, interleaved)%n%n",
        rounds, calls));
    out.append("| way | caller-thread CPU µs | ÷ floor | process CPU µs | ÷ floor | wall µs |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    double[] chatFloor = null;
    double[] streamFloor = null;
    for (Map.Entry<String, List<double[]>> entry : samples.entrySet()) {
      double[] thread = stats(entry.getValue(), 0);
      double[] process = stats(entry.getValue(), 1);
      double[] wall = stats(entry.getValue(), 2);
      boolean isStream = entry.getKey().startsWith("stream");
      if (!isStream && chatFloor == null) chatFloor = new double[] {thread[0], process[0]};
      if (isStream && streamFloor == null) streamFloor = new double[] {thread[0], process[0]};
      double[] floor = isStream ? streamFloor : chatFloor;
      out.append(String.format(Locale.ROOT, "| %s | %.1f ± %.1f | %.2f | %.1f ± %.1f | %.2f | %.1f ± %.1f |%n",
          entry.getKey(), thread[0], thread[1], thread[0] / floor[0], process[0], process[1],
          process[0] / floor[1], wall[0], wall[1]));
    }
    out.append('\n');
    return out.toString();
  }

  /** Mean and 95% confidence half-width (Student's t) of column {@code column}. */
  private static double[] stats(List<double[]> rows, int column) {
    int n = rows.size();
    double mean = 0;
    for (double[] row : rows) mean += row[column];
    mean /= n;
    double variance = 0;
    for (double[] row : rows) variance += (row[column] - mean) * (row[column] - mean);
    variance = n > 1 ? variance / (n - 1) : 0;
    double t = n >= 30 ? 2.0 : T95[Math.max(0, Math.min(n - 2, T95.length - 1))];
    return new double[] {mean, n > 1 ? t * Math.sqrt(variance / n) : Double.NaN};
  }

  /** Two-sided 95% Student's t for 1..29 degrees of freedom. */
  private static final double[] T95 = {12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18,
      2.16, 2.14, 2.13, 2.12, 2.11, 2.10, 2.09, 2.09, 2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05, 2.05};

  private static final long WARMUP_NANOS = 5_000_000_000L;

  private static volatile Object sink;

  private static void consume(Object value) {
    sink = value;
  }
}
