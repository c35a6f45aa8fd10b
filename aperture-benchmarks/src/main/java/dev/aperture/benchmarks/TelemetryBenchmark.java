package dev.aperture.benchmarks;

import dev.aperture.AccessDecision;
import dev.aperture.ApiFormat;
import dev.aperture.Call;
import dev.aperture.CallOptions;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.EventListener;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Provider;
import dev.aperture.Route;
import dev.aperture.Usage;
import dev.aperture.opentelemetry.ApertureTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 * What {@code aperture-opentelemetry} adds to one call: a listener created per call and driven through
 * the events the Router emits for a plain call (start, route, attempt, end) or a stream (plus the first
 * chunk), against the OpenTelemetry SDK with its in-memory span exporter and metric reader.
 * {@link #noListener} is the same event sequence on {@link EventListener#NONE}: what a Router without the
 * module pays. Single-threaded, so the numbers are the listener's own work, not contention.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class TelemetryBenchmark {
  /** Spans kept by the in-memory exporter before it is emptied, so memory stays flat. */
  private static final int RESET_EVERY = 4096;

  /** {@code sampled}: every span recorded and exported; {@code unsampled}: metrics only (always-off sampler). */
  @Param({"sampled", "unsampled"})
  public String sampling;

  private OpenTelemetrySdk sdk;
  private InMemorySpanExporter spans;
  private EventListener.Factory telemetry;
  private EventListener.Factory telemetryWithContent;
  private BenchCall plainCall;
  private BenchCall streamCall;
  private Route route;
  private ChatResponse response;
  private List<Route> routes;
  private int calls;

  @Setup(Level.Trial)
  public void setUp() {
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .setSampler("sampled".equals(sampling) ? Sampler.alwaysOn() : Sampler.alwaysOff())
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
        .build();
    telemetry = ApertureTelemetry.create(sdk).eventListenerFactory();
    telemetryWithContent = ApertureTelemetry.builder(sdk).captureMessageContent(true).build().eventListenerFactory();
    ChatRequest request = BenchmarkRequest.chatRequest();
    plainCall = new BenchCall(request, false);
    streamCall = new BenchCall(request, true);
    route = new Route(new NamedProvider("openrouter"), BenchmarkRequest.MODEL, Set.of(ApiFormat.OPENAI_CHAT), 0);
    routes = List.of(route);
    response = ChatResponse.builder().id("gen-1").model(BenchmarkRequest.MODEL).provider("openrouter")
        .servedBy("Alibaba").created(1_746_000_000L)
        .addChoice(Choice.of(0, Message.assistant(Checks.ANSWER), FinishReason.STOP))
        .usage(Usage.builder().promptTokens(21).completionTokens(9).totalTokens(30)
            .cost(new BigDecimal("0.0000123")).build())
        .generationId("gen-1").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sdk.close();
  }

  /** The floor: the plain call's events on the do-nothing listener. */
  @Benchmark
  public int noListener() {
    return plain(EventListener.NONE);
  }

  /** A plain call's call span, attempt span and metric points. */
  @Benchmark
  public int plainCall() {
    return plain(telemetry.create(plainCall));
  }

  /** As {@link #plainCall}, with the messages and the answer recorded as JSON attributes. */
  @Benchmark
  public int plainCallWithContent() {
    return plain(telemetryWithContent.create(plainCall));
  }

  /** A stream's events: the first chunk adds the time-to-first-chunk attribute and metric point. */
  @Benchmark
  public int streamCall() {
    EventListener listener = telemetry.create(streamCall);
    listener.callStart(streamCall);
    listener.routeChosen(streamCall, routes, AccessDecision.allowAll());
    listener.attemptStart(streamCall, route, 1);
    listener.firstChunk(streamCall, route);
    listener.attemptEnd(streamCall, route, 1);
    listener.callEnd(streamCall, response, 12_300L);
    return drain();
  }

  private int plain(EventListener listener) {
    listener.callStart(plainCall);
    listener.routeChosen(plainCall, routes, AccessDecision.allowAll());
    listener.attemptStart(plainCall, route, 1);
    listener.attemptEnd(plainCall, route, 1);
    listener.callEnd(plainCall, response, 12_300L);
    return drain();
  }

  private int drain() {
    if (++calls % RESET_EVERY == 0) spans.reset();
    return calls;
  }

  /** A call as the Router describes one. */
  static final class BenchCall implements Call {
    private final ChatRequest request;
    private final boolean streaming;

    BenchCall(ChatRequest request, boolean streaming) {
      this.request = request;
      this.streaming = streaming;
    }

    @Override
    public String requestId() {
      return "req-1";
    }

    @Override
    public Caller caller() {
      return BenchmarkRouter.CALLER;
    }

    @Override
    public CallOptions options() {
      return CallOptions.defaults();
    }

    @Override
    public String model() {
      return request.model();
    }

    @Override
    public ApiFormat format() {
      return ApiFormat.OPENAI_CHAT;
    }

    @Override
    public boolean isStreaming() {
      return streaming;
    }

    @Override
    public @Nullable ChatRequest chatRequest() {
      return request;
    }
  }

  /** Only a name: the listener never calls the route's provider. */
  static final class NamedProvider implements Provider {
    private final String id;

    NamedProvider(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Set<ApiFormat> apiFormats() {
      return Set.of(ApiFormat.OPENAI_CHAT);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
