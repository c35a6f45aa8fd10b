package dev.aperture.opentelemetry;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.AccessDecision;
import dev.aperture.ApertureException;
import dev.aperture.ApiFormat;
import dev.aperture.AttemptOutcome;
import dev.aperture.CallOptions;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Choice;
import dev.aperture.EventListener;
import dev.aperture.FinishReason;
import dev.aperture.HookBlockedException;
import dev.aperture.HookFailedException;
import dev.aperture.Message;
import dev.aperture.ModelNotFoundException;
import dev.aperture.ProviderException;
import dev.aperture.QuotaExceededException;
import dev.aperture.RateLimitedException;
import dev.aperture.Route;
import dev.aperture.ToolCall;
import dev.aperture.Usage;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the listener through the event sequences the Router emits (see {@link EventListener}'s order)
 * and checks the exact spans and metric points an in-memory SDK receives.
 */
final class ApertureTelemetryTest {
  static final List<Double> DURATION_BUCKETS = List.of(
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

  static final String MODEL = "qwen/qwen3-235b-a22b-2507";
  static final Route PRIMARY = new Route(new NamedProvider("openrouter"), MODEL, Set.of(ApiFormat.OPENAI_CHAT), 0);
  static final Route BACKUP = new Route(new NamedProvider("backup"), "qwen3-235b", Set.of(ApiFormat.OPENAI_CHAT), 0);

  final FakeClock clock = new FakeClock(Instant.parse("2026-05-01T10:00:00Z"));
  final InMemorySpanExporter spanExporter = InMemorySpanExporter.create();
  InMemoryMetricReader metricReader = InMemoryMetricReader.create();
  OpenTelemetrySdk sdk;
  ApertureTelemetry telemetry;
  long t0;

  @BeforeEach
  void setUp() {
    sdk = openTelemetry(Sampler.alwaysOn());
    telemetry = ApertureTelemetry.builder(sdk).clock(clock).build();
    t0 = clock.epochNanos();
  }

  OpenTelemetrySdk openTelemetry(Sampler sampler) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .setSampler(sampler)
            .addSpanProcessor(SimpleSpanProcessor.create(spanExporter))
            .build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metricReader).build())
        .build();
  }

  @AfterEach
  void tearDown() {
    sdk.close();
  }

  @Test
  void plainCallIsAClientSpanWithOneAttemptChildAndItsMetricPoints() {
    TestCall call = new TestCall(ChatRequest.builder().model(MODEL).user("Hello!")
        .maxTokens(200).temperature(0.2).topP(0.9).seed(42L).stop(List.of("END"))
        .put("frequency_penalty", 0.5).put("presence_penalty", 0.25).put("top_k", 40).put("n", 2)
        .responseFormat(Map.of("type", "json_schema"))
        .build(), false, CallOptions.builder().sessionId("session-7").build());
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    clock.advance(Duration.ofMillis(5));
    listener.attemptStart(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(1200));
    listener.attemptEnd(call, PRIMARY, 1);
    listener.callEnd(call, response("openrouter", Usage.builder().promptTokens(12).completionTokens(34).totalTokens(46)
        .cost(new BigDecimal("0.000123")).cachedTokens(8).reasoningTokens(20).build()),
        123_000L);

    SpanData callSpan = span("chat " + MODEL);
    SpanData attempt = span("attempt openrouter/" + MODEL);
    assertThat(spanExporter.getFinishedSpanItems()).hasSize(2);
    assertThat(callSpan)
        .hasKind(SpanKind.CLIENT)
        .hasNoParent()
        .startsAt(t0)
        .endsAt(t0 + 1_205_000_000L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .hasAttributes(Attributes.builder()
            .put(OPERATION, "chat")
            .put(PROVIDER, "openrouter")
            .put(REQUEST_MODEL, MODEL)
            .put("gen_ai.conversation.id", "session-7")
            .put("gen_ai.request.max_tokens", 200L)
            .put("gen_ai.request.temperature", 0.2)
            .put("gen_ai.request.top_p", 0.9)
            .put("gen_ai.request.seed", 42L)
            .put(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences"), List.of("END"))
            .put("gen_ai.request.frequency_penalty", 0.5)
            .put("gen_ai.request.presence_penalty", 0.25)
            .put("gen_ai.request.top_k", 40.0)
            .put("gen_ai.request.choice.count", 2L)
            .put("gen_ai.output.type", "json")
            .put(RESPONSE_MODEL, MODEL)
            .put("gen_ai.response.id", "gen-1")
            .put(FINISH_REASONS, List.of("stop"))
            .put("gen_ai.usage.input_tokens", 12L)
            .put("gen_ai.usage.output_tokens", 34L)
            .put("gen_ai.usage.cache_read.input_tokens", 8L)
            .put("gen_ai.usage.reasoning.output_tokens", 20L)
            .put("aperture.cost", 123_000L)
            .build())
        .hasTotalRecordedEvents(0);
    assertThat(attempt)
        .hasKind(SpanKind.INTERNAL)
        .hasParent(callSpan)
        .startsAt(t0 + 5_000_000L)
        .endsAt(t0 + 1_205_000_000L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .hasAttributes(Attributes.builder()
            .put(PROVIDER, "openrouter")
            .put(REQUEST_MODEL, MODEL)
            .put("aperture.route", "openrouter/" + MODEL)
            .put("aperture.attempt", 1L)
            .build());

    Attributes metricAttributes = Attributes.of(
        OPERATION, "chat", PROVIDER, "openrouter", REQUEST_MODEL, MODEL, RESPONSE_MODEL, MODEL);
    assertThat(metricReader.collectAllMetrics()).satisfiesExactlyInAnyOrder(
        metric -> assertThat(metric).hasName("gen_ai.client.operation.duration").hasUnit("s")
            .hasHistogramSatisfying(histogram -> histogram.hasPointsSatisfying(point -> point
                .hasCount(1).hasSum(1.205).hasBucketBoundaries(toArray(DURATION_BUCKETS))
                .hasAttributes(metricAttributes))),
        metric -> assertThat(metric).hasName("gen_ai.client.token.usage").hasUnit("{token}")
            .hasHistogramSatisfying(histogram -> histogram.hasPointsSatisfying(
                point -> point.hasCount(1).hasSum(12)
                    .hasBucketBoundaries(1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
                        4194304, 16777216, 67108864)
                    .hasAttributes(metricAttributes.toBuilder().put(TOKEN_TYPE, "input").build()),
                point -> point.hasCount(1).hasSum(34)
                    .hasAttributes(metricAttributes.toBuilder().put(TOKEN_TYPE, "output").build()))),
        metric -> assertThat(metric).hasName("aperture.client.cost").hasUnit("{nanodollar}")
            .hasLongSumSatisfying(sum -> sum.isMonotonic().hasPointsSatisfying(point -> point
                .hasValue(123_000L).hasAttributes(metricAttributes))));
    assertThat(telemetry.attemptContext(call)).isNull();
  }

  @Test
  void streamRecordsTimeToFirstChunkAndItsAttemptEndsOnceCommitted() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), true);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.attemptStart(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(250));
    // The Router's order: the first content commits the stream, then the attempt ends.
    listener.firstChunk(call, PRIMARY);
    listener.attemptEnd(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(750));
    listener.callEnd(call, response("openrouter", Usage.of(5, 9)), 0L);

    SpanData callSpan = span("chat " + MODEL);
    assertThat(callSpan).hasKind(SpanKind.CLIENT).hasNoParent().startsAt(t0).endsAt(t0 + 1_000_000_000L)
        .hasAttributes(Attributes.builder()
            .put(OPERATION, "chat")
            .put(PROVIDER, "openrouter")
            .put(REQUEST_MODEL, MODEL)
            .put("gen_ai.request.stream", true)
            .put("gen_ai.response.time_to_first_chunk", 0.25)
            .put(RESPONSE_MODEL, MODEL)
            .put("gen_ai.response.id", "gen-1")
            .put(FINISH_REASONS, List.of("stop"))
            .put("gen_ai.usage.input_tokens", 5L)
            .put("gen_ai.usage.output_tokens", 9L)
            .put("aperture.cost", 0L)
            .build());
    assertThat(span("attempt openrouter/" + MODEL)).hasParent(callSpan).startsAt(t0).endsAt(t0 + 250_000_000L);

    MetricData ttfc = metric("gen_ai.client.operation.time_to_first_chunk");
    assertThat(ttfc).hasUnit("s").hasHistogramSatisfying(histogram -> histogram.hasPointsSatisfying(point -> point
        .hasCount(1).hasSum(0.25).hasBucketBoundaries(toArray(DURATION_BUCKETS))
        .hasAttributes(Attributes.of(OPERATION, "chat", PROVIDER, "openrouter", REQUEST_MODEL, MODEL))));
    assertThat(metric("gen_ai.client.operation.duration")).hasHistogramSatisfying(histogram ->
        histogram.hasPointsSatisfying(point -> point.hasCount(1).hasSum(1.0)));
  }

  @Test
  void retriedCallHasAFailedAttemptSayingRetryThenASuccessfulOne() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);
    RateLimitedException rateLimited = RateLimitedException.builder("openrouter").statusCode(429)
        .message("rate limited by openrouter").retryable(true).retryAfter(Duration.ofSeconds(2))
        .errorCode("rate_limit").build();

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.attemptStart(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(300));
    listener.attemptFailed(call, PRIMARY, 1, rateLimited, AttemptOutcome.retry(Duration.ofMillis(1500)));
    clock.advance(Duration.ofMillis(1500));
    listener.attemptStart(call, PRIMARY, 2);
    clock.advance(Duration.ofMillis(700));
    listener.attemptEnd(call, PRIMARY, 2);
    listener.callEnd(call, response("openrouter", Usage.of(5, 9)), 1_000L);

    List<SpanData> spans = spanExporter.getFinishedSpanItems();
    assertThat(spans).hasSize(3);
    SpanData callSpan = span("chat " + MODEL);
    assertThat(callSpan).hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .endsAt(t0 + 2_500_000_000L)
        .hasAttributesSatisfying(attributes -> assertThat(attributes.get(ERROR_TYPE)).isNull());
    assertThat(spans.get(0)).hasName("attempt openrouter/" + MODEL).hasParent(callSpan)
        .startsAt(t0).endsAt(t0 + 300_000_000L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, "rate limited by openrouter"))
        .hasAttributes(Attributes.builder()
            .put(PROVIDER, "openrouter")
            .put(REQUEST_MODEL, MODEL)
            .put("aperture.route", "openrouter/" + MODEL)
            .put("aperture.attempt", 1L)
            .put("aperture.attempt.outcome", "retry")
            .put("aperture.attempt.retry_delay", 1.5)
            .put("aperture.provider.status_code", 429L)
            .put(ERROR_TYPE, "dev.aperture.RateLimitedException")
            .build());
    assertThat(spans.get(1)).hasName("attempt openrouter/" + MODEL).hasParent(callSpan)
        .startsAt(t0 + 1_800_000_000L).endsAt(t0 + 2_500_000_000L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .hasAttributes(Attributes.builder()
            .put(PROVIDER, "openrouter")
            .put(REQUEST_MODEL, MODEL)
            .put("aperture.route", "openrouter/" + MODEL)
            .put("aperture.attempt", 2L)
            .build());
    assertThat(metric("gen_ai.client.operation.duration")).hasHistogramSatisfying(histogram ->
        histogram.hasPointsSatisfying(point -> point.hasCount(1).hasSum(2.5).hasAttributes(
            Attributes.of(OPERATION, "chat", PROVIDER, "openrouter", REQUEST_MODEL, MODEL, RESPONSE_MODEL, MODEL))));
  }

  @Test
  void failoverEndsTheFirstAttemptWithTheNextRouteAndTheCallNamesTheProviderThatServed() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);
    ProviderException unavailable = ProviderException.builder("openrouter").statusCode(503)
        .message("openrouter answered 503").retryable(true).build();

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY, BACKUP), AccessDecision.allowAll());
    listener.attemptStart(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(200));
    listener.attemptFailed(call, PRIMARY, 1, unavailable, AttemptOutcome.failOver(BACKUP));
    listener.attemptStart(call, BACKUP, 2);
    clock.advance(Duration.ofMillis(400));
    listener.attemptEnd(call, BACKUP, 2);
    listener.callEnd(call, response("backup", Usage.of(5, 9)), 2_000L);

    List<SpanData> spans = spanExporter.getFinishedSpanItems();
    assertThat(spans).extracting(SpanData::getName).containsExactly(
        "attempt openrouter/" + MODEL, "attempt backup/qwen3-235b", "chat " + MODEL);
    SpanData callSpan = spans.get(2);
    assertThat(callSpan).hasKind(SpanKind.CLIENT).hasNoParent()
        .hasAttributesSatisfying(equalTo(PROVIDER, "backup"), equalTo(REQUEST_MODEL, MODEL));
    assertThat(spans.get(0)).hasParent(callSpan)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, "openrouter answered 503"))
        .hasAttributes(Attributes.builder()
            .put(PROVIDER, "openrouter")
            .put(REQUEST_MODEL, MODEL)
            .put("aperture.route", "openrouter/" + MODEL)
            .put("aperture.attempt", 1L)
            .put("aperture.attempt.outcome", "fail_over")
            .put("aperture.attempt.next_route", "backup/qwen3-235b")
            .put("aperture.provider.status_code", 503L)
            .put(ERROR_TYPE, "dev.aperture.ProviderException")
            .build());
    assertThat(spans.get(1)).hasParent(callSpan).startsAt(t0 + 200_000_000L).endsAt(t0 + 600_000_000L)
        .hasAttributes(Attributes.builder()
            .put(PROVIDER, "backup")
            .put(REQUEST_MODEL, "qwen3-235b")
            .put("aperture.route", "backup/qwen3-235b")
            .put("aperture.attempt", 2L)
            .build());
    assertThat(metric("aperture.client.cost")).hasLongSumSatisfying(sum -> sum.hasPointsSatisfying(point -> point
        .hasValue(2_000L)
        .hasAttributes(Attributes.of(OPERATION, "chat", PROVIDER, "backup", REQUEST_MODEL, MODEL, RESPONSE_MODEL, MODEL))));
  }

  @Test
  void blockedCallHasAHookEventAndFailsWithoutAnAttempt() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "my password is hunter2"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    clock.advance(Duration.ofMillis(30));
    listener.hookBlocked(call, "pii-guard", 403, "prompt contains 'hunter2'");
    listener.callFailed(call, new HookBlockedException("pii-guard", 403, "prompt contains 'hunter2'"));

    assertThat(spanExporter.getFinishedSpanItems()).hasSize(1);
    assertThat(span("chat " + MODEL)).hasKind(SpanKind.CLIENT).hasNoParent()
        .startsAt(t0).endsAt(t0 + 30_000_000L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR,
            "blocked by hook 'pii-guard': prompt contains 'hunter2'"))
        .hasAttributes(Attributes.of(OPERATION, "chat", PROVIDER, "openrouter", REQUEST_MODEL, MODEL,
            ERROR_TYPE, "dev.aperture.HookBlockedException"))
        .hasEventsSatisfyingExactly(event -> event
            .hasName("aperture.hook.blocked")
            .hasTimestamp(t0 + 30_000_000L)
            // The hook's message may quote the prompt: not recorded without content capture.
            .hasAttributes(Attributes.builder()
                .put("aperture.hook.name", "pii-guard")
                .put("aperture.hook.status_code", 403L)
                .build()));
    assertThat(metricReader.collectAllMetrics()).singleElement().satisfies(metric -> assertThat(metric)
        .hasName("gen_ai.client.operation.duration")
        .hasHistogramSatisfying(histogram -> histogram.hasPointsSatisfying(point -> point.hasCount(1).hasSum(0.03)
            .hasAttributes(Attributes.of(OPERATION, "chat", PROVIDER, "openrouter", REQUEST_MODEL, MODEL,
                ERROR_TYPE, "dev.aperture.HookBlockedException")))));
  }

  @Test
  void hookThatFailedOpenIsAnEventAndTheCallGoesOn() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.hookFailed(call, "audit", true, new HookFailedException("audit", "timed out", null));
    listener.attemptStart(call, PRIMARY, 1);
    listener.attemptEnd(call, PRIMARY, 1);
    listener.callEnd(call, response("openrouter", null), 0L);

    assertThat(span("chat " + MODEL))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
        .hasAttributesSatisfying(attributes -> assertThat(attributes.get(ERROR_TYPE)).isNull())
        .hasEventsSatisfyingExactly(event -> event
            .hasName("aperture.hook.failed")
            .hasAttributes(Attributes.builder()
                .put("aperture.hook.name", "audit")
                .put("aperture.hook.fail_open", true)
                .put(ERROR_TYPE, "dev.aperture.HookFailedException")
                .build()));
  }

  @Test
  void quotaRefusalIsAnEventAndTheCallsError() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);
    QuotaExceededException refusal = new QuotaExceededException("user:alice@example.com", -5_000L,
        Duration.ofSeconds(90));

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.quotaRejected(call, refusal);
    listener.callFailed(call, refusal);

    assertThat(spanExporter.getFinishedSpanItems()).hasSize(1);
    assertThat(span("chat " + MODEL))
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, refusal.getMessage()))
        .hasAttributes(Attributes.of(OPERATION, "chat", PROVIDER, "openrouter", REQUEST_MODEL, MODEL,
            ERROR_TYPE, "dev.aperture.QuotaExceededException"))
        .hasEventsSatisfyingExactly(event -> event
            .hasName("aperture.quota.rejected")
            .hasAttributes(Attributes.builder()
                .put("aperture.quota.bucket", "user:alice@example.com")
                .put("aperture.quota.retry_after", 90.0)
                .build()));
    assertThat(metric("gen_ai.client.operation.duration")).hasHistogramSatisfying(histogram ->
        histogram.hasPointsSatisfying(point -> point.hasAttributes(Attributes.of(OPERATION, "chat",
            PROVIDER, "openrouter", REQUEST_MODEL, MODEL, ERROR_TYPE, "dev.aperture.QuotaExceededException"))));
  }

  @Test
  void cancelledStreamFailsTheCallAfterItsFirstChunkWithoutFailingTheAttempt() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), true);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.attemptStart(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(200));
    listener.firstChunk(call, PRIMARY);
    listener.attemptEnd(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(300));
    listener.callFailed(call, new ApertureException("stream closed by the caller"));

    List<SpanData> spans = spanExporter.getFinishedSpanItems();
    assertThat(spans).hasSize(2);
    SpanData callSpan = span("chat " + MODEL);
    assertThat(callSpan).endsAt(t0 + 500_000_000L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, "stream closed by the caller"))
        .hasAttributes(Attributes.builder()
            .put(OPERATION, "chat")
            .put(PROVIDER, "openrouter")
            .put(REQUEST_MODEL, MODEL)
            .put("gen_ai.request.stream", true)
            .put("gen_ai.response.time_to_first_chunk", 0.2)
            .put(ERROR_TYPE, "dev.aperture.ApertureException")
            .build());
    // The attempt delivered: it ended well at the first chunk, before the caller closed the stream.
    assertThat(span("attempt openrouter/" + MODEL)).hasParent(callSpan).endsAt(t0 + 200_000_000L)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.unset());
    assertThat(metricReader.collectAllMetrics()).extracting(MetricData::getName).containsExactlyInAnyOrder(
        "gen_ai.client.operation.duration", "gen_ai.client.operation.time_to_first_chunk");
  }

  @Test
  void callThatFailsBeforeRoutingHasNoProvider() {
    TestCall call = new TestCall(ChatRequest.of("nope/missing", "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.callFailed(call, new ModelNotFoundException("nope/missing", List.of()));

    assertThat(span("chat nope/missing")).hasAttributes(Attributes.of(OPERATION, "chat",
        REQUEST_MODEL, "nope/missing", ERROR_TYPE, "dev.aperture.ModelNotFoundException"));
    assertThat(metric("gen_ai.client.operation.duration")).hasHistogramSatisfying(histogram ->
        histogram.hasPointsSatisfying(point -> point.hasAttributes(Attributes.of(OPERATION, "chat",
            REQUEST_MODEL, "nope/missing", ERROR_TYPE, "dev.aperture.ModelNotFoundException"))));
  }

  @Test
  void callSpanIsAChildOfTheSpanCurrentWhereTheCallWasMade() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    Span request = sdk.getTracer("app").spanBuilder("GET /answer").startSpan();
    EventListener listener;
    try (Scope ignored = request.makeCurrent()) {
      listener = telemetry.eventListenerFactory().create(call); // The Router creates it on the calling thread.
    }
    listener.callStart(call); // An asynchronous call may start on another thread.
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.attemptStart(call, PRIMARY, 1);
    listener.attemptEnd(call, PRIMARY, 1);
    listener.callEnd(call, response("openrouter", null), 0L);
    request.end();

    SpanData callSpan = span("chat " + MODEL);
    assertThat(callSpan).hasParent(span("GET /answer"));
    assertThat(span("attempt openrouter/" + MODEL)).hasParent(callSpan).hasTraceId(callSpan.getTraceId());
  }

  @Test
  void attemptContextIsFoundFromTheCallWhileTheAttemptRunsSoTheHttpCallBecomesItsChild() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    TestCall other = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    Baggage baggage = Baggage.builder().put("tenant", "acme").build();
    EventListener listener;
    try (Scope ignored = baggage.makeCurrent()) {
      listener = telemetry.eventListenerFactory().create(call);
    }
    listener.callStart(call);
    EventListener otherListener = telemetry.eventListenerFactory().create(other);
    otherListener.callStart(other);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    assertThat(telemetry.attemptContext(call)).isNull();
    listener.attemptStart(call, PRIMARY, 1);
    Context attempt = telemetry.attemptContext(call);
    assertThat(attempt).isNotNull();
    assertThat(telemetry.attemptContext(other)).isNull();
    // What a route interceptor does around the provider, on whichever thread runs it: the HTTP client's
    // span is the attempt's child, and the caller's baggage travels along.
    try (Scope ignored = attempt.makeCurrent()) {
      sdk.getTracer("okhttp").spanBuilder("POST").setSpanKind(SpanKind.CLIENT).startSpan().end();
      assertThat(Baggage.current().getEntryValue("tenant")).isEqualTo("acme");
    }
    listener.attemptFailed(call, PRIMARY, 1, new ApertureException("boom"), AttemptOutcome.retry(Duration.ZERO));
    assertThat(telemetry.attemptContext(call)).isNull();
    listener.attemptStart(call, PRIMARY, 2);
    assertThat(telemetry.attemptContext(call)).isNotNull().isNotSameAs(attempt);
    listener.callFailed(call, new ApertureException("deadline"));
    assertThat(telemetry.attemptContext(call)).isNull();
    otherListener.callFailed(other, new ApertureException("deadline"));

    SpanData firstAttempt = spanExporter.getFinishedSpanItems().stream()
        .filter(span -> span.getSpanContext().equals(Span.fromContext(attempt).getSpanContext()))
        .findFirst().orElseThrow();
    assertThat(firstAttempt).hasName("attempt openrouter/" + MODEL);
    assertThat(span("POST")).hasKind(SpanKind.CLIENT).hasParent(firstAttempt);
    // The second attempt was still running when the call failed: it failed with it.
    assertThat(spanExporter.getFinishedSpanItems()).filteredOn(span -> span.getName().startsWith("attempt"))
        .last().satisfies(span -> assertThat(span)
            .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, "deadline")));
  }

  @Test
  void attemptEventsAfterTheCallFailedStartNoSpan() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.callFailed(call, new ApertureException("deadline"));
    listener.attemptStart(call, PRIMARY, 1);

    assertThat(telemetry.attemptContext(call)).isNull();
    assertThat(spanExporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("chat " + MODEL);
  }

  @Test
  void messageContentIsRecordedOnlyWhenTheApplicationOptsIn() {
    ApertureTelemetry capturing = ApertureTelemetry.builder(sdk).clock(clock).captureMessageContent(true).build();
    ChatRequest request = ChatRequest.builder().model(MODEL)
        .system("Be brief.")
        .user("Weather in \"Paris\"?")
        .addMessage(Message.assistant(null, List.of(ToolCall.function("call_1", "weather", "{\"city\":\"Paris\"}"))))
        .addMessage(Message.tool("call_1", "rainy\n57F"))
        .build();
    for (ApertureTelemetry each : List.of(telemetry, capturing)) {
      TestCall call = new TestCall(request, false);
      EventListener listener = each.eventListenerFactory().create(call);
      listener.callStart(call);
      listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
      listener.hookBlocked(call, "pii-guard", 451, "no weather talk");
      listener.callEnd(call, response("openrouter", null), 0L);
    }

    List<SpanData> spans = spanExporter.getFinishedSpanItems();
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"))).isNull();
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages"))).isNull();
    assertThat(spans.get(0).getEvents().get(0).getAttributes().get(AttributeKey.stringKey("aperture.hook.message")))
        .isNull();
    assertThat(spans.get(1))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("gen_ai.input.messages"), "["
                + "{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in \\\"Paris\\\"?\"}]},"
                + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]},"
                + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\","
                + "\"response\":\"rainy\\n57F\"}]}]"),
            equalTo(AttributeKey.stringKey("gen_ai.output.messages"),
                "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"It is rainy.\"}],"
                    + "\"finish_reason\":\"stop\"}]"))
        .hasEventsSatisfyingExactly(event -> event.hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("aperture.hook.message"), "no weather talk")));
  }

  @Test
  void sampledOutCallsStillRecordTheirMetrics() {
    sdk.close();
    metricReader = InMemoryMetricReader.create();
    sdk = openTelemetry(Sampler.alwaysOff());
    telemetry = ApertureTelemetry.builder(sdk).clock(clock).captureMessageContent(true).build();
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.attemptStart(call, PRIMARY, 1);
    listener.attemptEnd(call, PRIMARY, 1);
    clock.advance(Duration.ofMillis(40));
    listener.callEnd(call, response("openrouter", Usage.of(5, 9)), 7L);

    assertThat(spanExporter.getFinishedSpanItems()).isEmpty();
    assertThat(metricReader.collectAllMetrics()).extracting(MetricData::getName).containsExactlyInAnyOrder(
        "gen_ai.client.operation.duration", "gen_ai.client.token.usage", "aperture.client.cost");
  }

  @Test
  void eventsAfterTheCallFinishedChangeNothing() {
    TestCall call = new TestCall(ChatRequest.of(MODEL, "Hello!"), false);
    EventListener listener = telemetry.eventListenerFactory().create(call);

    listener.callStart(call);
    listener.routeChosen(call, List.of(PRIMARY), AccessDecision.allowAll());
    listener.callFailed(call, new ApertureException("first"));
    listener.callFailed(call, new ApertureException("second"));
    listener.callEnd(call, response("openrouter", null), 5L);

    assertThat(spanExporter.getFinishedSpanItems()).singleElement().satisfies(span -> assertThat(span)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.create(StatusCode.ERROR, "first")));
    assertThat(metric("gen_ai.client.operation.duration")).hasHistogramSatisfying(histogram ->
        histogram.hasPointsSatisfying(point -> point.hasCount(1)));
  }

  static ChatResponse response(String provider, Usage usage) {
    return ChatResponse.builder().id("gen-1").model(MODEL).provider(provider).servedBy("Alibaba")
        .created(1_746_000_000L)
        .addChoice(Choice.builder().index(0).message(Message.assistant("It is rainy."))
            .finishReason(FinishReason.STOP).nativeFinishReason("stop").build())
        .usage(usage).generationId("gen-1").build();
  }

  SpanData span(String name) {
    List<SpanData> named = spanExporter.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name)).toList();
    assertThat(named).as("spans named '%s'", name).hasSize(1);
    return named.get(0);
  }

  MetricData metric(String name) {
    List<MetricData> named = metricReader.collectAllMetrics().stream()
        .filter(metric -> metric.getName().equals(name)).toList();
    assertThat(named).as("metrics named '%s'", name).hasSize(1);
    return named.get(0);
  }

  static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
