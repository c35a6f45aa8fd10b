package dev.aperture.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time per {@code router.chat} (in-memory provider, no I/O) without and with
 * {@code aperture-opentelemetry}, measured as {@link CpuPerCall} measures: interleaved rounds, the calling
 * thread's CPU time, which a busy shared machine disturbs far less than wall time. The first row (no
 * telemetry) is the floor; the difference to it is what the module costs per call.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.aperture.benchmarks.TelemetryCpuPerCall [rounds] [callsPerRound]}.
 */
public final class TelemetryCpuPerCall {
  private TelemetryCpuPerCall() {
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    List<RouterTelemetryBenchmark> routers = new ArrayList<>();
    Map<String, Supplier<Object>> ways = new LinkedHashMap<>();
    try {
      for (String telemetry : List.of("none", "listener", "listener+interceptor")) {
        RouterTelemetryBenchmark router = new RouterTelemetryBenchmark();
        router.telemetry = telemetry;
        router.setUp();
        routers.add(router);
        ways.put("router.chat, telemetry: " + telemetry, router::routerChat);
      }
      System.out.print(CpuPerCall.measure(ways, rounds, calls));
    } finally {
      routers.forEach(RouterTelemetryBenchmark::tearDown);
    }
  }
}
