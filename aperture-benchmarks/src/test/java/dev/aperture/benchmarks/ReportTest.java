package dev.aperture.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import org.junit.jupiter.api.Test;

final class ReportTest {
  private static String row(String benchmark, String mode, String params, double score, Object error,
      String extra) {
    return "{\"benchmark\":\"dev.aperture.benchmarks." + benchmark + "\",\"mode\":\"" + mode + "\","
        + (params.isEmpty() ? "" : "\"params\":{" + params + "},")
        + "\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + error + extra + "},"
        + "\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":1000.0,\"scoreError\":1.0}}}";
  }

  @Test
  void ratioErrorsCombineBothRelativeErrorsInQuadrature() {
    Report.Estimate ratio = new Report.Estimate(110, 3.3).over(new Report.Estimate(100, 4));
    assertThat(ratio.value()).isCloseTo(1.1, within(1e-9));
    assertThat(ratio.error()).isCloseTo(1.1 * 0.05, within(1e-9)); // hypot(0.03, 0.04) = 0.05
  }

  @Test
  void reportsRatiosToTheBaselineAndWhichTargetsHold() throws IOException {
    String json = "[" + String.join(",",
        row("ChatCallBenchmark.rawOkHttp", "avgt", "", 100, 1, ""),
        row("ChatCallBenchmark.router", "avgt", "", 103, 1, ""),
        row("ChatCallBenchmark.openAiJava", "avgt", "", 150, "\"NaN\"", ""),
        row("StreamBenchmark.rawFirstChunk", "avgt", "", 50, 1, ""),
        row("StreamBenchmark.rawWholeStream", "avgt", "", 200, 1, ""),
        row("StreamBenchmark.routerWholeStream", "avgt", "", 220, 1, ""),
        row("RoutingBenchmark.providerDirect", "avgt", "", 5, 0.1, ""),
        row("RoutingBenchmark.routerChat", "avgt", "\"grants\":\"10\",\"models\":\"10\"", 105, 2, ""),
        row("RoutingBenchmark.routerChat", "sample", "\"grants\":\"10\",\"models\":\"10\"", 110, 2,
            ",\"scorePercentiles\":{\"50.0\":100.0}"),
        row("RoutingBenchmark.routerChat", "avgt", "\"grants\":\"10\",\"models\":\"10000\"", 125, 2, ""),
        row("RoutingBenchmark.routerChat", "sample", "\"grants\":\"10\",\"models\":\"10000\"", 130, 2,
            ",\"scorePercentiles\":{\"50.0\":120.0}"))
        + "]";

    String report = Report.render(json);

    assertThat(report).contains("| Router.chat → OpenRouter provider | 103.0 ± 1.0 | 1.030 ± 0.014 |");
    assertThat(report).contains("**holds**: Router ÷ raw = 1.030 ± 0.014 (target ≤ 1.05)");
    assertThat(report).contains("**missed**: openai-java ÷ Router = 1.46 ± 0.01 (target ≥ 1.8)");
    assertThat(report).contains("**missed**: time to the end, router ÷ raw = 1.100");
    assertThat(report).contains("| 10,000 | 10 | 125.0 ± 2.0 | 120 | 120.0 ± 2.0 | 1,000 | 0.120% |");
    assertThat(report).contains("**holds**: p50 at 10,000 models × 10 grants = 120 ns (target < 1,000 ns)");
    assertThat(report).contains("**holds**: flat as models grow, 10 grants: 100 ns at 10 models → 120 ns at 10,000");
  }
}
