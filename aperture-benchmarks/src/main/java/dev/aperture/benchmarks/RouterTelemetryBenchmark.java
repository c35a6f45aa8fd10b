package dev.aperture.benchmarks;

import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Router;
import dev.aperture.opentelemetry.ApertureTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * One {@code router.chat} through the whole pipeline against an in-memory provider (no I/O), without and
 * with {@code aperture-opentelemetry}: {@code none} is a Router without the module; {@code listener} adds
 * its event listener (spans and metrics, every span sampled and exported to the SDK's in-memory exporter);
 * {@code listener+interceptor} adds the route interceptor that makes the attempt current around the
 * provider too. The difference to {@code none} is what the module costs per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class RouterTelemetryBenchmark {
  private static final int RESET_EVERY = 4096;

  @Param({"none", "listener", "listener+interceptor"})
  public String telemetry;

  private OpenTelemetrySdk sdk;
  private InMemorySpanExporter spans;
  private Router router;
  private ChatRequest request;
  private int calls;

  @Setup(Level.Trial)
  public void setUp() {
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
        .build();
    ApertureTelemetry apertureTelemetry = ApertureTelemetry.create(sdk);
    Router.Builder builder = Router.builder()
        .addProvider(new RoutingBenchmark.FakeProvider(), List.of(BenchmarkRequest.MODEL));
    if (!"none".equals(telemetry)) builder.addEventListenerFactory(apertureTelemetry.eventListenerFactory());
    if ("listener+interceptor".equals(telemetry)) builder.addRouteInterceptor(apertureTelemetry.routeInterceptor());
    router = builder.build();
    request = BenchmarkRequest.chatRequest();
    Checks.expectAnswer("router", routerChat().text());
    int expectedSpans = "none".equals(telemetry) ? 0 : 2;
    if (spans.getFinishedSpanItems().size() != expectedSpans) {
      throw new IllegalStateException(telemetry + " exported " + spans.getFinishedSpanItems().size() + " spans");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    router.close();
    sdk.close();
  }

  @Benchmark
  public ChatResponse routerChat() {
    ChatResponse response = router.chat(BenchmarkRouter.CALLER, request);
    if (++calls % RESET_EVERY == 0) spans.reset();
    return response;
  }
}
