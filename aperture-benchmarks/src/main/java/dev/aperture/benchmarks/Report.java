package dev.aperture.benchmarks;

import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns a JMH JSON result file into the Markdown tables of BENCHMARKS.md: every figure as a ratio to the
 * baseline measured in the same run, with error bars, and whether each target holds.
 *
 * <p>Errors are JMH's 99.9% confidence half-widths; a ratio's error combines both relative errors in
 * quadrature. Usage: {@code java -cp benchmarks.jar dev.aperture.benchmarks.Report results.json}.
 */
public final class Report {
  private final List<Result> results;
  private final StringBuilder out = new StringBuilder();

  private Report(List<Result> results) {
    this.results = results;
  }

  /** One JMH result row. */
  record Result(String benchmark, String mode, Map<String, String> params, Estimate score,
      @Nullable Double p50, @Nullable Estimate allocation) {
    String method() {
      return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    String benchmarkClass() {
      String withoutMethod = benchmark.substring(0, benchmark.lastIndexOf('.'));
      return withoutMethod.substring(withoutMethod.lastIndexOf('.') + 1);
    }
  }

  /** A value with its error half-width. */
  record Estimate(double value, double error) {
    Estimate over(Estimate baseline) {
      double ratio = value / baseline.value;
      double relative = Math.hypot(relativeError(), baseline.relativeError());
      return new Estimate(ratio, Math.abs(ratio) * relative);
    }

    double relativeError() {
      return value == 0 || Double.isNaN(error) ? 0 : error / Math.abs(value);
    }

    String format(String pattern) {
      return String.format(Locale.ROOT, pattern, value) + " ± " + String.format(Locale.ROOT, pattern, error);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Report <jmh-results.json>");
      System.exit(2);
    }
    System.out.print(render(Files.readString(Path.of(args[0]))));
  }

  static String render(String json) throws IOException {
    return new Report(parse(json)).render();
  }

  private String render() {
    routing();
    chatCalls();
    streaming();
    codec();
    return out.toString();
  }

  private void routing() {
    Result direct = find("RoutingBenchmark", "providerDirect", "avgt", Map.of());
    Result directSample = find("RoutingBenchmark", "providerDirect", "sample", Map.of());
    List<Result> routed = all("RoutingBenchmark", "routerChat", "avgt");
    if (direct == null || routed.isEmpty()) return;
    out.append("### 1. Routing decision (in-memory provider, no I/O)\n\n");
    out.append("Baseline: the provider called directly, ").append(direct.score.format("%.1f")).append(" ns/op");
    if (directSample != null && directSample.p50 != null) {
      out.append(String.format(Locale.ROOT, " (p50 %.0f ns)", directSample.p50));
    }
    out.append(".");
    out.append(" The direct call is nearly free (the JIT inlines a method returning a constant), so the routing cost"
        + " is the Router's whole cost; p50 comes from a separate sampling run whose timer alone reads ~20–30 ns.");
    Result rawCall = find("ChatCallBenchmark", "rawOkHttp", "avgt", Map.of());
    if (rawCall != null) {
      out.append(" The last column puts the routing cost next to one raw loopback chat call of this run (")
          .append(rawCall.score.format("%.1f")).append(" µs).");
    }
    out.append("\n\n| models | grants | router.chat ns/op | p50 ns | routing cost ns (router − direct) | alloc B/op "
        + "| cost ÷ raw loopback call |\n|---:|---:|---:|---:|---:|---:|---:|\n");
    double largestP50 = Double.NaN;
    Map<String, Double> costByGrantsAt10 = new LinkedHashMap<>();
    Map<String, Double> costByGrantsAtMax = new LinkedHashMap<>();
    int maxModels = routed.stream().mapToInt(r -> Integer.parseInt(r.params.get("models"))).max().orElse(0);
    int maxGrants = routed.stream().mapToInt(r -> Integer.parseInt(r.params.get("grants"))).max().orElse(0);
    int minModels = routed.stream().mapToInt(r -> Integer.parseInt(r.params.get("models"))).min().orElse(0);
    routed.sort((a, b) -> {
      int byModels = Integer.compare(Integer.parseInt(a.params.get("models")), Integer.parseInt(b.params.get("models")));
      return byModels != 0 ? byModels
          : Integer.compare(Integer.parseInt(a.params.get("grants")), Integer.parseInt(b.params.get("grants")));
    });
    for (Result r : routed) {
      Result sample = find("RoutingBenchmark", "routerChat", "sample", r.params);
      Double p50 = sample != null ? sample.p50 : null;
      Estimate cost = new Estimate(r.score.value - direct.score.value, Math.hypot(r.score.error, direct.score.error));
      int models = Integer.parseInt(r.params.get("models"));
      int grants = Integer.parseInt(r.params.get("grants"));
      if (models == maxModels && grants == maxGrants && p50 != null) largestP50 = p50;
      if (models == minModels) costByGrantsAt10.put(r.params.get("grants"), cost.value);
      if (models == maxModels) costByGrantsAtMax.put(r.params.get("grants"), cost.value);
      String share = rawCall == null ? "–"
          : String.format(Locale.ROOT, "%.3f%%", 100 * cost.value / (rawCall.score.value * 1000));
      out.append(String.format(Locale.ROOT, "| %,d | %,d | %s | %s | %s | %s | %s |\n", models, grants,
          r.score.format("%.1f"), p50 == null ? "–" : String.format(Locale.ROOT, "%.0f", p50),
          cost.format("%.1f"), alloc(r), share));
    }
    out.append('\n');
    if (!Double.isNaN(largestP50)) {
      verdict(String.format(Locale.ROOT, "p50 at %,d models × %,d grants = %.0f ns (target < 1,000 ns)",
          maxModels, maxGrants, largestP50), largestP50 < 1000);
    }
    for (String grants : costByGrantsAt10.keySet()) {
      Double small = costByGrantsAt10.get(grants);
      Double large = costByGrantsAtMax.get(grants);
      if (small == null || large == null) continue;
      // "Flat" means the routing cost at the most models is within 50 ns or 1.5× of the cost at the fewest.
      boolean flat = large - small < 50 || large / small < 1.5;
      verdict(String.format(Locale.ROOT, "flat as models grow, %s grants: %.0f ns at %,d models → %.0f ns at %,d",
          grants, small, minModels, large, maxModels), flat);
    }
    out.append('\n');
  }

  private void chatCalls() {
    Result raw = find("ChatCallBenchmark", "rawOkHttp", "avgt", Map.of());
    if (raw == null) return;
    out.append("### 2. One chat call over loopback (same request and response bytes)\n\n");
    out.append("| way | µs/op | ÷ raw | alloc B/op | alloc ÷ raw |\n|---|---:|---:|---:|---:|\n");
    String[][] ways = {
        {"rawOkHttp", "raw OkHttp + Moshi by hand (floor)"},
        {"rawOkHttpWithCallTimeout", "(diagnostic) the floor + a per-call OkHttp call timeout"},
        {"router", "Router.chat → OpenRouter provider"},
        {"openAiJava", "openai-java (OkHttp + Jackson)"},
        {"langChain4j", "LangChain4j OpenAiChatModel (JDK HttpClient + Jackson)"}};
    for (String[] way : ways) {
      Result r = find("ChatCallBenchmark", way[0], "avgt", Map.of());
      if (r == null) continue;
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |\n", way[1], r.score.format("%.1f"),
          r.score.over(raw.score).format("%.3f"), alloc(r), allocRatio(r, raw)));
    }
    out.append('\n');
    Result router = find("ChatCallBenchmark", "router", "avgt", Map.of());
    Result openAi = find("ChatCallBenchmark", "openAiJava", "avgt", Map.of());
    if (router != null) {
      Estimate ratio = router.score.over(raw.score);
      verdict("Router ÷ raw = " + ratio.format("%.3f") + " (target ≤ 1.05)", ratio.value <= 1.05);
      if (openAi != null) {
        Estimate openAiRatio = openAi.score.over(router.score);
        verdict("openai-java ÷ Router = " + openAiRatio.format("%.2f") + " (target ≥ 1.8)", openAiRatio.value >= 1.8);
      }
    }
    out.append('\n');
  }

  private void streaming() {
    Result rawFirst = find("StreamBenchmark", "rawFirstChunk", "avgt", Map.of());
    Result rawWhole = find("StreamBenchmark", "rawWholeStream", "avgt", Map.of());
    if (rawFirst == null || rawWhole == null) return;
    out.append("### 3. Streaming over loopback (").append(StubUpstream.STREAM_CONTENT_CHUNKS + 2)
        .append(" chunks + [DONE])\n\n");
    out.append("| measure | way | µs/op | ÷ raw | alloc B/op | alloc ÷ raw |\n|---|---|---:|---:|---:|---:|\n");
    Result routerFirst = find("StreamBenchmark", "routerFirstChunk", "avgt", Map.of());
    Result routerWhole = find("StreamBenchmark", "routerWholeStream", "avgt", Map.of());
    streamRow("first chunk", "raw OkHttp SSE (floor)", rawFirst, rawFirst, false);
    if (routerFirst != null) streamRow("first chunk", "router.stream", routerFirst, rawFirst, false);
    streamRow("to the end", "raw OkHttp SSE (floor)", rawWhole, rawWhole, true);
    if (routerWhole != null) streamRow("to the end", "router.stream", routerWhole, rawWhole, true);
    out.append("\nAllocation is per whole stream: a first-chunk row's would include the rest of the stream, "
        + "read outside the timing but inside the allocation count.\n\n");
    if (routerFirst != null) {
      Estimate ratio = routerFirst.score.over(rawFirst.score);
      verdict("time to first chunk, router ÷ raw = " + ratio.format("%.3f") + " (target ≤ 1.05)", ratio.value <= 1.05);
    }
    if (routerWhole != null) {
      Estimate ratio = routerWhole.score.over(rawWhole.score);
      verdict("time to the end, router ÷ raw = " + ratio.format("%.3f") + " (target ≤ 1.05)", ratio.value <= 1.05);
    }
    out.append('\n');
  }

  private void codec() {
    String[][] pairs = {
        {"sdkReadResponse", "rawReadResponse", "parse the 819-byte completion"},
        {"sdkReadChunk", "rawReadChunk", "parse one stream chunk"},
        {"sdkWriteRequest", "rawWriteRequest", "write the request body"}};
    if (find("CodecBenchmark", pairs[0][1], "avgt", Map.of()) == null) return;
    out.append("### Where the time goes: the wire codec alone (no I/O)\n\n");
    out.append("| step | SDK ns/op | floor ns/op | SDK ÷ floor | SDK B/op | floor B/op |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    for (String[] pair : pairs) {
      Result sdk = find("CodecBenchmark", pair[0], "avgt", Map.of());
      Result floor = find("CodecBenchmark", pair[1], "avgt", Map.of());
      if (sdk == null || floor == null) continue;
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |\n", pair[2], sdk.score.format("%.0f"),
          floor.score.format("%.0f"), sdk.score.over(floor.score).format("%.2f"), alloc(sdk), alloc(floor)));
    }
    out.append('\n');
  }

  private void streamRow(String measure, String way, Result r, Result raw, boolean showAllocation) {
    out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |\n", measure, way, r.score.format("%.1f"),
        r.score.over(raw.score).format("%.3f"), showAllocation ? alloc(r) : "–",
        showAllocation ? allocRatio(r, raw) : "–"));
  }

  private void verdict(String text, boolean holds) {
    out.append("- ").append(holds ? "**holds**" : "**missed**").append(": ").append(text).append('\n');
  }

  private static String alloc(Result r) {
    return r.allocation == null ? "–" : String.format(Locale.ROOT, "%,.0f", r.allocation.value);
  }

  private static String allocRatio(Result r, Result raw) {
    if (r.allocation == null || raw.allocation == null || raw.allocation.value == 0) return "–";
    return String.format(Locale.ROOT, "%.2f", r.allocation.value / raw.allocation.value);
  }

  private @Nullable Result find(String benchmarkClass, String method, String mode, Map<String, String> params) {
    for (Result r : results) {
      if (r.benchmarkClass().equals(benchmarkClass) && r.method().equals(method) && r.mode.equals(mode)
          && r.params.equals(params)) {
        return r;
      }
    }
    return null;
  }

  private List<Result> all(String benchmarkClass, String method, String mode) {
    List<Result> matching = new ArrayList<>();
    for (Result r : results) {
      if (r.benchmarkClass().equals(benchmarkClass) && r.method().equals(method) && r.mode.equals(mode)) {
        matching.add(r);
      }
    }
    return matching;
  }

  @SuppressWarnings("unchecked")
  static List<Result> parse(String json) throws IOException {
    Object root = JsonReader.of(new okio.Buffer().writeUtf8(json)).readJsonValue();
    List<Result> results = new ArrayList<>();
    for (Object item : (List<Object>) root) {
      Map<String, Object> row = (Map<String, Object>) item;
      Map<String, Object> primary = (Map<String, Object>) row.get("primaryMetric");
      Map<String, String> params = new LinkedHashMap<>();
      if (row.get("params") instanceof Map<?, ?> p) {
        new TreeSet<>((java.util.Set<String>) p.keySet()).forEach(k -> params.put(k, String.valueOf(p.get(k))));
      }
      Double p50 = null;
      if (primary.get("scorePercentiles") instanceof Map<?, ?> percentiles
          && percentiles.get("50.0") instanceof Number n) {
        p50 = n.doubleValue();
      }
      Estimate allocation = null;
      if (row.get("secondaryMetrics") instanceof Map<?, ?> secondary
          && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> norm) {
        allocation = estimate((Map<String, Object>) norm);
      }
      results.add(new Result((String) row.get("benchmark"), (String) row.get("mode"), params,
          estimate(primary), p50, allocation));
    }
    return results;
  }

  private static Estimate estimate(Map<String, Object> metric) {
    double score = number(metric.get("score"));
    double error = number(metric.get("scoreError"));
    return new Estimate(score, error);
  }

  /** JMH writes "NaN" as a string when there are too few samples for an error. */
  private static double number(@Nullable Object value) {
    if (value instanceof Number n) return n.doubleValue();
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }
}
