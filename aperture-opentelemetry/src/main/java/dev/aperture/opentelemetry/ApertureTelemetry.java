package dev.aperture.opentelemetry;

import dev.aperture.Call;
import dev.aperture.EventListener;
import dev.aperture.Interceptor;
import dev.aperture.opentelemetry.internal.AttemptContextInterceptor;
import dev.aperture.opentelemetry.internal.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry spans and metrics for every call through a {@link dev.aperture.Router}, following the
 * OpenTelemetry GenAI semantic conventions. Uses the OpenTelemetry API only: the application brings the
 * SDK and exporters, and registers this explicitly.
 *
 * <pre>{@code
 * ApertureTelemetry telemetry = ApertureTelemetry.create(openTelemetry);
 * Router router = Router.builder()
 *     .config(config)
 *     .addProviderFactory(new OpenRouterProviderFactory())
 *     .addEventListenerFactory(telemetry.eventListenerFactory())
 *     .addRouteInterceptor(telemetry.routeInterceptor())
 *     .build();
 * }</pre>
 *
 * <p>Each call is a CLIENT span {@code chat {model}} with the conventions' {@code gen_ai.*} attributes,
 * parented to the span current where the call was made (the thread that called the Router); each attempt is an INTERNAL child span
 * {@code attempt {provider}/{model}} saying whether the Router retried or failed over after it; a hook
 * block or a quota refusal is an event on the call span. Metrics: {@code gen_ai.client.operation.duration},
 * {@code gen_ai.client.token.usage}, {@code gen_ai.client.operation.time_to_first_chunk} for streams, and
 * {@code aperture.client.cost} in nanodollars. Message content is recorded only with
 * {@link Builder#captureMessageContent(boolean)}.
 *
 * <p>Thread-safe; build one per {@link OpenTelemetry} instance and share it across Routers.
 */
public final class ApertureTelemetry {
  private final Telemetry telemetry;
  private final Interceptor routeInterceptor;

  private ApertureTelemetry(Builder builder) {
    this.telemetry = new Telemetry(builder.openTelemetry, builder.captureMessageContent, builder.clock);
    this.routeInterceptor = new AttemptContextInterceptor(telemetry);
  }

  /** Telemetry with the defaults: no message content, the system clock. */
  public static ApertureTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /** A builder emitting through {@code openTelemetry}'s tracer and meter providers. */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(openTelemetry);
  }

  /**
   * The factory to register with {@link dev.aperture.Router.Builder#addEventListenerFactory}: it creates
   * one listener per call, which records that call's spans and metric points.
   */
  public EventListener.Factory eventListenerFactory() {
    return telemetry;
  }

  /**
   * The interceptor to register with {@link dev.aperture.Router.Builder#addRouteInterceptor}: it makes
   * each attempt's context current while the provider runs, so that the application's instrumented
   * OkHttp (or any instrumented client) records its call as a child of the attempt span and sends the W3C
   * {@code traceparent} of the attempt upstream. Without it the spans and metrics are the same, but the
   * HTTP spans are not parented to the attempts.
   *
   * <p>Register it first among route interceptors, so that theirs run inside the attempt too. Like every
   * interceptor it is synchronous: with it the Router runs {@code chatAsync} calls on its executor rather
   * than on the provider's asynchronous transport. Responses-API calls pass route interceptors by, so
   * their HTTP spans are not parented to their attempts.
   */
  public Interceptor routeInterceptor() {
    return routeInterceptor;
  }

  /**
   * The OpenTelemetry context of {@code call}'s attempt in flight: the context the call was made in, with
   * the call span and the attempt span. Present from the attempt's {@code attemptStart} until its
   * {@code attemptEnd} or {@code attemptFailed}; null when no attempt of that call is in flight. Code that
   * runs the attempt makes it current, so that an instrumented HTTP client's span becomes the attempt's
   * child and the W3C {@code traceparent} it sends names the attempt.
   */
  public @Nullable Context attemptContext(Call call) {
    return telemetry.attemptContext(Objects.requireNonNull(call, "call == null"));
  }

  /** Builds {@link ApertureTelemetry}. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private boolean captureMessageContent;
    private LongSupplier clock = monotonicEpochNanos();

    Builder(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry == null");
    }

    /**
     * Whether to record message content: {@code gen_ai.input.messages} and {@code gen_ai.output.messages}
     * on the call span (as JSON strings in the conventions' schema) and a blocking hook's message. Off by
     * default, as the conventions ask: prompts and answers are often sensitive and large.
     */
    public Builder captureMessageContent(boolean captureMessageContent) {
      this.captureMessageContent = captureMessageContent;
      return this;
    }

    /**
     * The clock for span timestamps and the durations in metrics. By default the system clock read
     * once and advanced by {@link System#nanoTime()}, so durations never jump with the wall clock.
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock == null");
      this.clock = () -> {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      };
      return this;
    }

    /** The telemetry, ready to register on any number of Routers. */
    public ApertureTelemetry build() {
      return new ApertureTelemetry(this);
    }

    private static LongSupplier monotonicEpochNanos() {
      Instant anchor = Clock.systemUTC().instant();
      long anchorEpochNanos = anchor.getEpochSecond() * 1_000_000_000L + anchor.getNano();
      long anchorNanoTime = System.nanoTime();
      return () -> anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    }
  }
}
