package dev.aperture.opentelemetry;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.CallCanceledException;
import dev.aperture.Caller;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatStream;
import dev.aperture.ProviderException;
import dev.aperture.RetryPolicy;
import dev.aperture.Router;
import dev.aperture.Sleeper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same spans through a real Router: its pipeline emits the events, an in-test provider fails as told,
 * and the provider sees the attempt span as current, as an instrumented OkHttp would.
 */
final class RouterTelemetryTest {
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final Caller ALICE = Caller.of("alice@example.com");

  final FakeClock clock = new FakeClock(Instant.parse("2026-05-01T10:00:00Z"));
  final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
  /** Waits without waiting: the fake clock moves instead. */
  final Sleeper sleeper = duration -> {
    waits.add(duration);
    clock.advance(duration);
  };
  final InMemorySpanExporter spanExporter = InMemorySpanExporter.create();
  final InMemoryMetricReader metricReader = InMemoryMetricReader.create();
  final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spanExporter)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metricReader).build())
      .build();
  final ApertureTelemetry telemetry = ApertureTelemetry.builder(sdk).clock(clock).build();
  final ScriptedProvider primary = new ScriptedProvider("primary", clock);
  final ScriptedProvider backup = new ScriptedProvider("backup", clock);
  final long t0 = clock.epochNanos();

  @AfterEach
  void tearDown() {
    sdk.close();
  }

  Router.Builder router() {
    return Router.builder()
        .clock(clock)
        .sleeper(sleeper)
        .addProvider(primary, List.of("m"))
        .addEventListenerFactory(telemetry.eventListenerFactory())
        .addRouteInterceptor(telemetry.routeInterceptor());
  }

  @Test
  void plainCallIsAChildOfTheApplicationsSpanAndTheProviderRunsInsideTheAttempt() {
    Router router = router().build();
    Span request = sdk.getTracer("app").spanBuilder("GET /answer").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      assertThat(router.chat(ALICE, ChatRequest.builder().model("m").user("hi").maxTokens(50).build()).text())
          .isEqualTo("primary says hi");
    } finally {
      request.end();
    }

    SpanData app = span("GET /answer");
    SpanData call = span("chat m");
    SpanData attempt = span("attempt primary/m");
    assertThat(call).hasKind(SpanKind.CLIENT).hasParent(app).startsAt(t0).endsAt(t0 + 100_000_000L)
        .hasStatus(StatusData.unset())
        .hasAttributes(Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put(PROVIDER, "primary")
            .put(REQUEST_MODEL, "m")
            .put("gen_ai.request.max_tokens", 50L)
            .put("gen_ai.response.model", "m")
            .put("gen_ai.response.id", "gen-primary")
            .put(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of("stop"))
            .put("gen_ai.usage.input_tokens", 3L)
            .put("gen_ai.usage.output_tokens", 4L)
            .put("aperture.cost", 2_000L)
            .build());
    assertThat(attempt).hasKind(SpanKind.INTERNAL).hasParent(call)
        .hasAttributes(Attributes.builder()
            .put(PROVIDER, "primary")
            .put(REQUEST_MODEL, "m")
            .put("aperture.route", "primary/m")
            .put("aperture.attempt", 1L)
            .build());
    assertThat(primary.currentSpans).containsExactly(attempt.getSpanContext());
    assertThat(metricReader.collectAllMetrics()).extracting(MetricData::getName).containsExactlyInAnyOrder(
        "gen_ai.client.operation.duration", "gen_ai.client.token.usage", "aperture.client.cost");
  }

  @Test
  void withoutTheRouteInterceptorTheSpansAreTheSameButTheProviderIsOutsideTheAttempt() {
    Router router = Router.builder()
        .clock(clock)
        .addProvider(primary, List.of("m"))
        .addEventListenerFactory(telemetry.eventListenerFactory())
        .build();

    router.chat(ALICE, ChatRequest.of("m", "hi"));

    assertThat(spanExporter.getFinishedSpanItems()).extracting(SpanData::getName)
        .containsExactly("attempt primary/m", "chat m");
    assertThat(primary.currentSpans).containsExactly(SpanContext.getInvalid());
  }

  @Test
  void retriedCallHasOneSpanPerAttemptAndEachRanInsideItsOwn() {
    Router router = router().build();
    primary.failures.add(primary.unavailable(Duration.ofSeconds(2)));

    router.chat(ALICE, ChatRequest.of("m", "hi"));

    List<SpanData> attempts = attempts();
    SpanData call = span("chat m");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0)).hasParent(call).startsAt(t0).endsAt(t0 + 100_000_000L)
        .hasStatus(StatusData.create(StatusCode.ERROR, "primary answered 503"))
        .hasAttributes(Attributes.builder()
            .put(PROVIDER, "primary")
            .put(REQUEST_MODEL, "m")
            .put("aperture.route", "primary/m")
            .put("aperture.attempt", 1L)
            .put("aperture.attempt.outcome", "retry")
            .put("aperture.attempt.retry_delay", 2.0)
            .put("aperture.provider.status_code", 503L)
            .put(ERROR_TYPE, "dev.aperture.ProviderException")
            .build());
    assertThat(attempts.get(1)).hasParent(call).startsAt(t0 + 2_100_000_000L).endsAt(t0 + 2_200_000_000L)
        .hasStatus(StatusData.unset())
        .hasAttributesSatisfying(equalTo(AttributeKey.longKey("aperture.attempt"), 2L));
    assertThat(call).hasStatus(StatusData.unset()).endsAt(t0 + 2_200_000_000L);
    assertThat(waits).containsExactly(Duration.ofSeconds(2));
    assertThat(primary.currentSpans).containsExactly(
        attempts.get(0).getSpanContext(), attempts.get(1).getSpanContext());
  }

  @Test
  void failoverEndsTheFirstAttemptNamingTheNextRouteAndTheCallNamesTheProviderThatServed() {
    Router router = router().retryPolicy(RetryPolicy.none()).addProvider(backup, List.of("m")).build();
    primary.failures.add(primary.unavailable(null));

    assertThat(router.chat(ALICE, ChatRequest.of("m", "hi")).provider()).isEqualTo("backup");

    List<SpanData> attempts = attempts();
    SpanData call = span("chat m");
    assertThat(attempts).extracting(SpanData::getName).containsExactly("attempt primary/m", "attempt backup/m");
    assertThat(attempts.get(0)).hasParent(call)
        .hasStatus(StatusData.create(StatusCode.ERROR, "primary answered 503"))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("aperture.attempt.outcome"), "fail_over"),
            equalTo(AttributeKey.stringKey("aperture.attempt.next_route"), "backup/m"),
            equalTo(ERROR_TYPE, "dev.aperture.ProviderException"));
    assertThat(attempts.get(1)).hasParent(call).hasStatus(StatusData.unset())
        .hasAttributesSatisfying(equalTo(PROVIDER, "backup"), equalTo(AttributeKey.longKey("aperture.attempt"), 2L));
    assertThat(call).hasStatus(StatusData.unset()).hasAttributesSatisfying(equalTo(PROVIDER, "backup"));
    assertThat(primary.currentSpans).containsExactly(attempts.get(0).getSpanContext());
    assertThat(backup.currentSpans).containsExactly(attempts.get(1).getSpanContext());
  }

  @Test
  void failureNoAttemptCanFixGivesUpAndFailsTheCall() {
    Router router = router().build();
    primary.failures.add(primary.badRequest());

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("m", "hi"))).isInstanceOf(ProviderException.class);

    assertThat(attempts()).singleElement().satisfies(attempt -> assertThat(attempt)
        .hasStatus(StatusData.create(StatusCode.ERROR, "primary answered 400"))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("aperture.attempt.outcome"), "give_up"),
            equalTo(AttributeKey.longKey("aperture.provider.status_code"), 400L)));
    assertThat(span("chat m")).hasStatus(StatusData.create(StatusCode.ERROR, "primary answered 400"))
        .hasAttributesSatisfying(equalTo(ERROR_TYPE, "dev.aperture.ProviderException"), equalTo(PROVIDER, "primary"));
    assertThat(metricReader.collectAllMetrics()).singleElement().satisfies(metric -> assertThat(metric)
        .hasName("gen_ai.client.operation.duration")
        .hasHistogramSatisfying(histogram -> histogram.hasPointsSatisfying(point -> point.hasAttributes(
            Attributes.of(AttributeKey.stringKey("gen_ai.operation.name"), "chat", PROVIDER, "primary",
                REQUEST_MODEL, "m", ERROR_TYPE, "dev.aperture.ProviderException")))));
  }

  @Test
  void streamRecordsTimeToFirstChunkAndItsUsage() {
    Router router = router().build();

    try (ChatStream stream = router.stream(ALICE, ChatRequest.of("m", "hi"))) {
      assertThat(stream.response().text()).isEqualTo("Hello");
    }

    SpanData call = span("chat m");
    SpanData attempt = span("attempt primary/m");
    // The first chunk arrived 50 ms in; the stream ended after the second and its end, 150 ms in.
    assertThat(call).hasKind(SpanKind.CLIENT).startsAt(t0).endsAt(t0 + 150_000_000L)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.booleanKey("gen_ai.request.stream"), true),
            equalTo(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"), 0.05),
            equalTo(AttributeKey.longKey("gen_ai.usage.input_tokens"), 3L),
            equalTo(AttributeKey.longKey("gen_ai.usage.output_tokens"), 4L));
    assertThat(attempt).hasParent(call).endsAt(t0 + 50_000_000L).hasStatus(StatusData.unset());
    assertThat(primary.currentSpans).containsExactly(attempt.getSpanContext());
    assertThat(metricReader.collectAllMetrics()).extracting(MetricData::getName).containsExactlyInAnyOrder(
        "gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk",
        "gen_ai.client.token.usage", "aperture.client.cost");
  }

  @Test
  void streamClosedAfterItsFirstChunkFailsTheCallAsCancelled() {
    Router router = router().build();

    try (ChatStream stream = router.stream(ALICE, ChatRequest.of("m", "hi"))) {
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo("Hel");
    }

    assertThat(span("chat m"))
        .hasStatus(StatusData.create(StatusCode.ERROR, "the caller closed the stream before it ended"))
        .hasAttributesSatisfying(equalTo(ERROR_TYPE, CallCanceledException.class.getName()),
            equalTo(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk"), 0.05));
    assertThat(span("attempt primary/m")).hasStatus(StatusData.unset());
  }

  @Test
  void asynchronousCallRunsItsProviderInsideTheAttemptToo() {
    Router router = router().build();
    primary.failures.add(primary.unavailable(Duration.ofSeconds(1)));

    assertThat(router.chatAsync(ALICE, ChatRequest.of("m", "hi")).join().text()).isEqualTo("primary says hi");

    List<SpanData> attempts = attempts();
    assertThat(attempts).hasSize(2);
    assertThat(primary.currentSpans).containsExactly(
        attempts.get(0).getSpanContext(), attempts.get(1).getSpanContext());
    assertThat(attempts).allSatisfy(attempt -> assertThat(attempt).hasParent(span("chat m")));
  }

  @Test
  void asynchronousFailureEndsEverySpan() {
    Router router = router().build();
    primary.failures.add(primary.badRequest());

    assertThatThrownBy(() -> router.chatAsync(ALICE, ChatRequest.of("m", "hi")).join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ProviderException.class);

    assertThat(spanExporter.getFinishedSpanItems()).extracting(SpanData::getName)
        .containsExactly("attempt primary/m", "chat m");
  }

  List<SpanData> attempts() {
    return spanExporter.getFinishedSpanItems().stream().filter(span -> span.getName().startsWith("attempt ")).toList();
  }

  @Test
  void aQuotaRefusalThroughTheRouterIsAnEventOnAFailedCallSpan() {
    Router router = router().config(dev.aperture.config.ApertureConfig.parse("""
        {"grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user", "models": "**", "quotas": [{"bucket": "frozen"}]}]}}],
         "quotas": {"frozen": {"capacity": "$0.00", "rate": "$1.00/day"}}}
        """)).build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("m", "hi")))
        .isInstanceOf(dev.aperture.QuotaExceededException.class);

    SpanData call = span("chat m");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    assertThat(call.getAttributes().get(ERROR_TYPE)).isEqualTo("dev.aperture.QuotaExceededException");
    assertThat(call.getEvents()).singleElement().satisfies(event -> {
      assertThat(event.getName()).isEqualTo("aperture.quota.rejected");
      assertThat(event.getAttributes().get(AttributeKey.stringKey("aperture.quota.bucket"))).isEqualTo("frozen");
    });
    assertThat(spanExporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("chat m");
    assertThat(primary.currentSpans).isEmpty();
  }

  @Test
  void aHookBlockThroughTheRouterIsAnEventOnAFailedCallSpan() {
    Router router = router().config(dev.aperture.config.ApertureConfig.parse("""
        {"grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user", "models": "**"},
            {"send_hooks": [{"name": "guard", "events": ["pre_request"], "send": ["user_message"]}]}]}}]}
        """))
        .addHook("guard", data -> dev.aperture.GuardrailResponse.block(451, "not today"))
        .build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("m", "hi")))
        .isInstanceOf(dev.aperture.HookBlockedException.class);

    SpanData call = span("chat m");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    assertThat(call.getStatus().getDescription()).isEqualTo("blocked by hook 'guard': not today");
    assertThat(call.getEvents()).singleElement().satisfies(event -> {
      assertThat(event.getName()).isEqualTo("aperture.hook.blocked");
      assertThat(event.getAttributes().get(AttributeKey.stringKey("aperture.hook.name"))).isEqualTo("guard");
      assertThat(event.getAttributes().get(AttributeKey.longKey("aperture.hook.status_code"))).isEqualTo(451L);
    });
    assertThat(primary.currentSpans).isEmpty();
  }

  SpanData span(String name) {
    List<SpanData> named = spanExporter.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name)).toList();
    assertThat(named).as("spans named '%s'", name).hasSize(1);
    return named.get(0);
  }
}
