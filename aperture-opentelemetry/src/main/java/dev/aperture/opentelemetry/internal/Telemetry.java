package dev.aperture.opentelemetry.internal;

import dev.aperture.Call;
import dev.aperture.EventListener;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What every call's listener shares: the tracer, the instruments, the options, the clock, and the attempt
 * spans in flight (so that code running an attempt, such as a route interceptor, can find its span from
 * the {@link Call}). Thread-safe; one per {@code ApertureTelemetry}.
 */
public final class Telemetry implements EventListener.Factory {
  /** The instrumentation scope of the tracer and meter. */
  public static final String SCOPE = "dev.aperture.opentelemetry";

  /** The conventions' advice for durations in seconds (operation duration, time to first chunk). */
  static final List<Double> DURATION_BUCKETS = List.of(
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  /** The conventions' advice for token counts. */
  static final List<Long> TOKEN_BUCKETS = List.of(
      1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L, 16777216L,
      67108864L);

  final Tracer tracer;
  final DoubleHistogram operationDuration;
  final LongHistogram tokenUsage;
  final DoubleHistogram timeToFirstChunk;
  final LongCounter cost;
  final boolean captureContent;
  /** Epoch nanoseconds, for span timestamps and the durations measured between them. */
  final LongSupplier clock;
  final MetricAttributes.Cache metricAttributes = new MetricAttributes.Cache();
  private final ConcurrentHashMap<CallKey, Context> attempts = new ConcurrentHashMap<>();

  public Telemetry(OpenTelemetry openTelemetry, boolean captureContent, LongSupplier clock) {
    this.tracer = openTelemetry.getTracer(SCOPE);
    Meter meter = openTelemetry.getMeter(SCOPE);
    this.operationDuration = meter.histogramBuilder(GenAiAttributes.METRIC_OPERATION_DURATION)
        .setUnit("s")
        .setDescription("GenAI operation duration.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    this.tokenUsage = meter.histogramBuilder(GenAiAttributes.METRIC_TOKEN_USAGE)
        .ofLongs()
        .setUnit("{token}")
        .setDescription("Number of input and output tokens used.")
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
        .build();
    this.timeToFirstChunk = meter.histogramBuilder(GenAiAttributes.METRIC_TIME_TO_FIRST_CHUNK)
        .setUnit("s")
        .setDescription("Time to receive the first chunk of a streamed response, from the call's start.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    this.cost = meter.counterBuilder(GenAiAttributes.METRIC_COST)
        .setUnit("{nanodollar}")
        .setDescription("What completed calls cost, in nanodollars (1e-9 US dollars), as the provider reported.")
        .build();
    this.captureContent = captureContent;
    this.clock = clock;
  }

  /** A listener for one call's events: its spans and metric points. */
  @Override
  public EventListener create(Call call) {
    return new CallTelemetry(this, call);
  }

  /**
   * The context of {@code call}'s attempt in flight (the caller's context, with the call span and the
   * attempt span), or null when none is.
   */
  public @Nullable Context attemptContext(Call call) {
    return attempts.get(new CallKey(call));
  }

  void attemptStarted(Call call, Context context) {
    attempts.put(new CallKey(call), context);
  }

  void attemptFinished(Call call) {
    attempts.remove(new CallKey(call));
  }

  /** Keys by the call's identity: two calls with equal fields are still two calls. */
  private static final class CallKey {
    private final Call call;

    CallKey(Call call) {
      this.call = call;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof CallKey that && that.call == call;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(call);
    }
  }
}
