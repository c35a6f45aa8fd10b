package dev.aperture.opentelemetry.internal;

import static dev.aperture.opentelemetry.internal.GenAiAttributes.*;

import dev.aperture.AccessDecision;
import dev.aperture.ApertureException;
import dev.aperture.AttemptOutcome;
import dev.aperture.Call;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Choice;
import dev.aperture.EventListener;
import dev.aperture.ProviderException;
import dev.aperture.QuotaExceededException;
import dev.aperture.Route;
import dev.aperture.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One call's telemetry: its CLIENT span {@code chat {model}}, an INTERNAL child span per attempt, span
 * events for governance refusals, and the call's metric points.
 *
 * <p>The call span is started lazily, stamped with the call's start time, once the route is known, so
 * that {@code gen_ai.provider.name} is there at creation for samplers; a call that fails before routing
 * gets it when it fails. An attempt's span ends with {@link #attemptEnd} or {@link #attemptFailed}; one
 * still open when the call finishes (a deadline, a cancellation) ends with it, failed.
 *
 * <p>The Router delivers one call's events in order, each after the previous one returned (it hands the
 * call between threads through its executors and futures, which order the memory effects too), so the
 * fields need no locking.
 */
final class CallTelemetry extends EventListener {
  private static final int MAX_STATUS_DESCRIPTION = 256;

  private final Telemetry telemetry;
  private final Call call;
  /** The context the call was made in: the Router creates the listener on the calling thread. */
  private final Context parent;
  private long startNanos;
  /** The provider serving the call as far as known: the first route's, then each attempt's. */
  private @Nullable String providerName;
  private @Nullable Span span;
  private @Nullable Span attemptSpan;
  private boolean finished;

  CallTelemetry(Telemetry telemetry, Call call) {
    this.telemetry = telemetry;
    this.call = call;
    this.parent = Context.current();
    this.startNanos = telemetry.clock.getAsLong();
  }

  @Override
  public void callStart(Call call) {
    startNanos = telemetry.clock.getAsLong();
  }

  @Override
  public void routeChosen(Call call, List<Route> routes, AccessDecision decision) {
    if (span == null && !routes.isEmpty()) providerName = routes.get(0).providerId();
    span();
  }

  @Override
  public void hookBlocked(Call call, String hook, int statusCode, String message) {
    AttributesBuilder attributes = Attributes.builder()
        .put(APERTURE_HOOK_NAME, hook)
        .put(APERTURE_HOOK_STATUS_CODE, statusCode);
    // A hook's message may quote what it blocked: content, so opt-in like the messages.
    if (telemetry.captureContent && !message.isEmpty()) attributes.put(APERTURE_HOOK_MESSAGE, message);
    span().addEvent(EVENT_HOOK_BLOCKED, attributes.build(), telemetry.clock.getAsLong(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void hookFailed(Call call, String hook, boolean failOpen, ApertureException failure) {
    span().addEvent(EVENT_HOOK_FAILED, Attributes.of(
            APERTURE_HOOK_NAME, hook, APERTURE_HOOK_FAIL_OPEN, failOpen, ERROR_TYPE, errorType(failure)),
        telemetry.clock.getAsLong(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void quotaRejected(Call call, QuotaExceededException refusal) {
    span().addEvent(EVENT_QUOTA_REJECTED, Attributes.of(
            APERTURE_QUOTA_BUCKET, refusal.bucket(),
            APERTURE_QUOTA_RETRY_AFTER, seconds(refusal.retryAfter())),
        telemetry.clock.getAsLong(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void attemptStart(Call call, Route route, int attempt) {
    if (finished) return; // Out of order: never start a span nothing would end.
    Span callSpan = span();
    long now = telemetry.clock.getAsLong();
    endAttempt(null, now); // An attempt the Router never closed: it cannot be in flight any more.
    providerName = route.providerId();
    Context callContext = parent.with(callSpan);
    Span started = telemetry.tracer.spanBuilder("attempt " + route.qualifiedName())
        .setSpanKind(SpanKind.INTERNAL)
        .setParent(callContext)
        .setStartTimestamp(now, TimeUnit.NANOSECONDS)
        .setAttribute(PROVIDER_NAME, route.providerId())
        .setAttribute(REQUEST_MODEL, route.model())
        .setAttribute(APERTURE_ROUTE, route.qualifiedName())
        .setAttribute(APERTURE_ATTEMPT, (long) attempt)
        .startSpan();
    attemptSpan = started;
    telemetry.attemptStarted(call, callContext.with(started));
  }

  @Override
  public void attemptEnd(Call call, Route route, int attempt) {
    telemetry.attemptFinished(call);
    // A stream's attempt ends here too: the Router reports it once the stream committed (its first
    // content arrived), the point after which it never fails over; the rest of the stream is the call's.
    endAttempt(null, telemetry.clock.getAsLong());
  }

  @Override
  public void attemptFailed(Call call, Route route, int attempt, ApertureException failure,
      AttemptOutcome outcome) {
    telemetry.attemptFinished(call);
    Span failed = attemptSpan;
    if (failed == null) return;
    if (failed.isRecording()) {
      switch (outcome.kind()) {
        case RETRY -> {
          failed.setAttribute(APERTURE_ATTEMPT_OUTCOME, "retry");
          failed.setAttribute(APERTURE_ATTEMPT_RETRY_DELAY, seconds(outcome.delay()));
        }
        case FAIL_OVER -> {
          failed.setAttribute(APERTURE_ATTEMPT_OUTCOME, "fail_over");
          Route next = outcome.next();
          if (next != null) failed.setAttribute(APERTURE_ATTEMPT_NEXT_ROUTE, next.qualifiedName());
        }
        case GIVE_UP -> failed.setAttribute(APERTURE_ATTEMPT_OUTCOME, "give_up");
      }
      if (failure instanceof ProviderException provider && provider.statusCode() > 0) {
        failed.setAttribute(APERTURE_PROVIDER_STATUS_CODE, (long) provider.statusCode());
      }
    }
    endAttempt(failure, telemetry.clock.getAsLong());
  }

  @Override
  public void firstChunk(Call call, Route route) {
    long now = telemetry.clock.getAsLong();
    double ttfc = secondsBetween(startNanos, now);
    span().setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, ttfc);
    telemetry.timeToFirstChunk.record(ttfc,
        telemetry.metricAttributes.get(route.providerId(), call.model(), null, null).base);
  }

  @Override
  public void callEnd(Call call, ChatResponse response, long costNanos) {
    if (finished) return;
    finished = true;
    telemetry.attemptFinished(call);
    long now = telemetry.clock.getAsLong();
    endAttempt(null, now);
    providerName = response.provider();
    Span callSpan = span();
    Usage usage = response.usage();
    if (callSpan.isRecording()) {
      callSpan.setAttribute(PROVIDER_NAME, response.provider());
      callSpan.setAttribute(RESPONSE_MODEL, response.model());
      callSpan.setAttribute(RESPONSE_ID, response.id());
      List<String> finishReasons = finishReasons(response.choices());
      if (!finishReasons.isEmpty()) callSpan.setAttribute(RESPONSE_FINISH_REASONS, finishReasons);
      if (usage != null) {
        callSpan.setAttribute(USAGE_INPUT_TOKENS, usage.promptTokens());
        callSpan.setAttribute(USAGE_OUTPUT_TOKENS, usage.completionTokens());
        if (usage.cachedTokens() > 0) callSpan.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedTokens());
        if (usage.reasoningTokens() > 0) {
          callSpan.setAttribute(USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens());
        }
      }
      callSpan.setAttribute(APERTURE_COST, costNanos);
      if (telemetry.captureContent) {
        callSpan.setAttribute(OUTPUT_MESSAGES, ContentJson.outputMessages(response.choices()));
      }
    }
    callSpan.end(now, TimeUnit.NANOSECONDS);

    MetricAttributes metricAttributes =
        telemetry.metricAttributes.get(providerName, call.model(), response.model(), null);
    telemetry.operationDuration.record(secondsBetween(startNanos, now), metricAttributes.base);
    if (usage != null) {
      telemetry.tokenUsage.record(usage.promptTokens(), metricAttributes.input);
      telemetry.tokenUsage.record(usage.completionTokens(), metricAttributes.output);
    }
    telemetry.cost.add(costNanos, metricAttributes.base);
  }

  @Override
  public void callFailed(Call call, ApertureException failure) {
    if (finished) return;
    finished = true;
    telemetry.attemptFinished(call);
    long now = telemetry.clock.getAsLong();
    // An attempt still open failed with the call (a deadline, a stream closed before its first chunk).
    endAttempt(failure, now);
    Span callSpan = span();
    String errorType = errorType(failure);
    if (providerName != null) callSpan.setAttribute(PROVIDER_NAME, providerName);
    fail(callSpan, failure, errorType);
    callSpan.end(now, TimeUnit.NANOSECONDS);
    telemetry.operationDuration.record(secondsBetween(startNanos, now),
        telemetry.metricAttributes.get(providerName, call.model(), null, errorType).base);
  }

  /** The call span, started now (with the call's start time) if it has not been. */
  private Span span() {
    Span result = span;
    if (result != null) return result;
    SpanBuilder builder = telemetry.tracer.spanBuilder(OPERATION_CHAT + " " + call.model())
        .setSpanKind(SpanKind.CLIENT)
        .setParent(parent)
        .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
        .setAttribute(OPERATION_NAME, OPERATION_CHAT)
        .setAttribute(REQUEST_MODEL, call.model());
    if (providerName != null) builder.setAttribute(PROVIDER_NAME, providerName);
    if (call.isStreaming()) builder.setAttribute(REQUEST_STREAM, true);
    String sessionId = call.options().sessionId();
    if (!sessionId.isEmpty()) builder.setAttribute(CONVERSATION_ID, sessionId);
    result = builder.startSpan();
    span = result;
    ChatRequest request = call.chatRequest();
    if (request != null && result.isRecording()) {
      requestAttributes(result, request);
      if (telemetry.captureContent) {
        result.setAttribute(INPUT_MESSAGES, ContentJson.inputMessages(request.messages()));
      }
    }
    return result;
  }

  /** The request parameters the caller set, under the conventions' names. */
  private static void requestAttributes(Span span, ChatRequest request) {
    if (request.maxTokens() != null) span.setAttribute(REQUEST_MAX_TOKENS, (long) request.maxTokens());
    if (request.temperature() != null) span.setAttribute(REQUEST_TEMPERATURE, request.temperature());
    if (request.topP() != null) span.setAttribute(REQUEST_TOP_P, request.topP());
    if (request.seed() != null) span.setAttribute(REQUEST_SEED, request.seed());
    if (!request.stop().isEmpty()) span.setAttribute(REQUEST_STOP_SEQUENCES, request.stop());
    if (request.parameters().isEmpty()) return;
    if (request.parameter("frequency_penalty") instanceof Number n) {
      span.setAttribute(REQUEST_FREQUENCY_PENALTY, n.doubleValue());
    }
    if (request.parameter("presence_penalty") instanceof Number n) {
      span.setAttribute(REQUEST_PRESENCE_PENALTY, n.doubleValue());
    }
    if (request.parameter("top_k") instanceof Number n) span.setAttribute(REQUEST_TOP_K, n.doubleValue());
    if (request.parameter("n") instanceof Number n && n.longValue() != 1) {
      span.setAttribute(REQUEST_CHOICE_COUNT, n.longValue());
    }
    if (request.parameter("response_format") instanceof Map<?, ?> format && format.get("type") instanceof String type) {
      // json_object and json_schema both ask for JSON; the conventions name the modality, not the schema.
      span.setAttribute(OUTPUT_TYPE, type.startsWith("json") ? "json" : type);
    }
  }

  private void endAttempt(@Nullable ApertureException failure, long now) {
    Span open = attemptSpan;
    if (open == null) return;
    attemptSpan = null;
    if (failure != null) fail(open, failure, errorType(failure));
    open.end(now, TimeUnit.NANOSECONDS);
  }

  private static void fail(Span span, ApertureException failure, String errorType) {
    span.setAttribute(ERROR_TYPE, errorType);
    String message = failure.getMessage();
    if (message == null) {
      span.setStatus(StatusCode.ERROR);
    } else {
      span.setStatus(StatusCode.ERROR, message.length() <= MAX_STATUS_DESCRIPTION
          ? message : message.substring(0, MAX_STATUS_DESCRIPTION) + "…");
    }
  }

  private static List<String> finishReasons(List<Choice> choices) {
    if (choices.size() == 1) {
      Choice only = choices.get(0);
      return only.finishReason() == null ? List.of() : List.of(only.finishReason().value());
    }
    List<String> result = new ArrayList<>(choices.size());
    for (Choice choice : choices) {
      if (choice.finishReason() != null) result.add(choice.finishReason().value());
    }
    return result;
  }

  /**
   * The conventions ask for a low-cardinality error identifier, such as the exception's canonical name:
   * {@code dev.aperture.RateLimitedException}, {@code dev.aperture.QuotaExceededException}, ...
   */
  static String errorType(ApertureException failure) {
    return failure.getClass().getName();
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  private static double secondsBetween(long startNanos, long endNanos) {
    // A wall clock may step back; a duration never goes below zero.
    return Math.max(0L, endNanos - startNanos) / 1e9;
  }
}
