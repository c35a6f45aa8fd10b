package dev.aperture.internal;

import dev.aperture.AccessDecision;
import dev.aperture.ApertureException;
import dev.aperture.ApiFormat;
import dev.aperture.Call;
import dev.aperture.CallOptions;
import dev.aperture.CallTimeoutException;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Exchange;
import dev.aperture.Money;
import dev.aperture.Usage;
import dev.aperture.EventListener;
import dev.aperture.ResponsesRequest;
import dev.aperture.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One call through the Router: its identity, its deadline, the state the stages share (routes, access
 * decision, attempts made), and its listener. The pipeline it runs is {@link Pipeline}'s stage list.
 */
public final class RealCall implements Call {
  final Pipeline pipeline;
  private volatile @Nullable String requestId;
  private final Caller caller;
  private final CallOptions options;
  private final String model;
  private final ApiFormat format;
  private final boolean streaming;
  private final @Nullable ChatRequest chatRequest;
  private final @Nullable ResponsesRequest responsesRequest;
  /** Whether stages may complete later than they return (the provider's asynchronous transport). */
  final boolean async;
  final EventListener listener;
  private final @Nullable Duration timeout;
  private final long deadlineMillis;

  // Shared by the stages of this call; stages run one after another, never at once.
  @Nullable List<Route> routes;
  AccessDecision decision = AccessDecision.allowAll();
  private final List<String> attempts = new ArrayList<>(2);
  private @Nullable Route lastAttemptRoute;
  private volatile boolean canceled;
  /**
   * What an answer the pipeline refused after receiving it had cost (an answer from a model outside the
   * grants): the upstream charged it, so the quota stage charges it too instead of releasing.
   */
  volatile @Nullable Long refusedAnswerCostNanos;
  /** A retry was due but its wait would have passed the deadline: giving up then is a timeout. */
  volatile boolean retryCutByDeadline;
  private volatile @Nullable CompletableFuture<?> inFlight;

  RealCall(Pipeline pipeline, Caller caller, CallOptions options, @Nullable ChatRequest chatRequest,
      @Nullable ResponsesRequest responsesRequest, boolean streaming, boolean async) {
    this.pipeline = pipeline;
    this.caller = Objects.requireNonNull(caller, "caller == null");
    this.options = Objects.requireNonNull(options, "options == null");
    this.chatRequest = chatRequest;
    this.responsesRequest = responsesRequest;
    this.model = chatRequest != null ? chatRequest.model() : Objects.requireNonNull(responsesRequest).model();
    this.format = chatRequest != null ? ApiFormat.OPENAI_CHAT : ApiFormat.OPENAI_RESPONSES;
    this.streaming = streaming;
    this.async = async;
    this.requestId = options.requestId(); // else made on first use: most calls never need one
    this.timeout = options.timeout() != null ? options.timeout() : pipeline.callTimeout;
    this.deadlineMillis = timeout == null ? Long.MAX_VALUE
        : saturatedAdd(pipeline.clock.millis(), timeout.toMillis());
    this.listener = pipeline.listenerFor(this);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public String requestId() {
    String id = requestId;
    if (id == null) {
      synchronized (this) {
        id = requestId;
        if (id == null) {
          // A random (version 4) UUID from the thread's generator: SecureRandom's would cost more than routing.
          java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
          long high = (random.nextLong() & ~0xF000L) | 0x4000L;
          long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
          requestId = id = new UUID(high, low).toString();
        }
      }
    }
    return id;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public CallOptions options() {
    return options;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public ApiFormat format() {
    return format;
  }

  @Override
  public boolean isStreaming() {
    return streaming;
  }

  @Override
  public @Nullable ChatRequest chatRequest() {
    return chatRequest;
  }

  @Override
  public String toString() {
    return "Call{" + requestId() + ", " + model + (streaming ? ", stream" : "") + "}";
  }

  // ---- Deadline and attempts ----

  /** True when the call has a deadline and it has passed. */
  boolean deadlinePassed() {
    return deadlineMillis != Long.MAX_VALUE && pipeline.clock.millis() >= deadlineMillis;
  }

  /** What is left of the deadline, or null when the call has none. Never negative. */
  @Nullable Duration remaining() {
    if (deadlineMillis == Long.MAX_VALUE) return null;
    return Duration.ofMillis(Math.max(0, deadlineMillis - pipeline.clock.millis()));
  }

  /** Whether waiting {@code wait} would end at or past the deadline. */
  boolean waitPassesDeadline(Duration wait) {
    return deadlineMillis != Long.MAX_VALUE && pipeline.clock.millis() + wait.toMillis() >= deadlineMillis;
  }

  CallTimeoutException timedOut(@Nullable Throwable cause) {
    return new CallTimeoutException(Objects.requireNonNull(timeout), attemptsSoFar(), cause);
  }

  /** Records a new attempt on {@code route} and returns its number, from 1 across the call. */
  synchronized int startAttempt(Route route) {
    attempts.add(route.qualifiedName());
    lastAttemptRoute = route;
    return attempts.size();
  }

  /** The number of the last attempt if it was made on {@code route}, else 0. */
  synchronized int lastAttemptOn(Route route) {
    return lastAttemptRoute == route ? attempts.size() : 0;
  }

  synchronized List<String> attemptsSoFar() {
    return List.copyOf(attempts);
  }

  // ---- Cancellation ----

  /** Cancels the attempt in flight and stops retries and failover. */
  void cancel() {
    canceled = true;
    CompletableFuture<?> attempt = inFlight;
    if (attempt != null) attempt.cancel(true);
  }

  boolean isCanceled() {
    return canceled;
  }

  /** Tracks {@code attempt} as the one {@link #cancel} cancels; returns it. */
  <T> CompletableFuture<T> inFlight(CompletableFuture<T> attempt) {
    inFlight = attempt;
    if (canceled) attempt.cancel(true);
    return attempt;
  }

  // ---- Running ----

  /** Runs the pipeline; the future completes with the outcome or the call's failure, unwrapped. */
  CompletableFuture<Outcome> start() {
    listener.callStart(this);
    CompletableFuture<Outcome> result =
        new RealChain(this, pipeline.stages, 0, chatRequest, responsesRequest, null, 0).proceed();
    return result.handle((outcome, failure) -> {
      if (failure != null) throw new CompletionException(fail(unwrap(failure)));
      return ended(outcome);
    });
  }

  /** Runs a blocking call to its outcome on this thread. */
  Outcome execute() {
    // Blocking calls complete every stage on this thread: the future is done when start() returns.
    try {
      return start().join();
    } catch (CompletionException | CancellationException e) {
      throw rethrow(e);
    }
  }

  /** Reports the end of a call: now for a plain one, when the stream ends for a streamed one. */
  private Outcome ended(Outcome outcome) {
    Exchange exchange = outcome.exchange();
    if (exchange instanceof Exchange.Plain plain) {
      listener.callEnd(this, plain.response(), costNanos(plain.response()));
    } else if (exchange instanceof Exchange.Streamed streamed) {
      TrackedChatStream tracked = TrackedChatStream.of(streamed.stream());
      tracked.whenDone(end -> {
        if (end.response() != null) {
          listener.callEnd(this, end.response(), costNanos(end.response()));
        } else {
          listener.callFailed(this, Objects.requireNonNull(end.failure()));
        }
      });
      return Outcome.of(Exchange.of(tracked));
    } else if (outcome.responsesBody() != null) {
      listener.callEnd(this, responsesSummary(outcome.responsesBody()), 0);
    }
    return outcome;
  }

  /** A Responses-API answer as the listener's {@code callEnd} takes it: its id, model and provider. */
  private ChatResponse responsesSummary(java.util.Map<String, @Nullable Object> body) {
    Object id = body.get("id");
    Object answered = body.get("model");
    List<Route> chosen = routes;
    return ChatResponse.builder().id(id instanceof String s ? s : "")
        .model(answered instanceof String s ? s : model)
        .provider(chosen != null && !chosen.isEmpty() ? chosen.get(0).providerId() : "").build();
  }

  static long costNanos(ChatResponse response) {
    Usage usage = response.usage();
    Long nanos = usage == null ? null : QuotaStage.nanosOf(usage.cost());
    return nanos == null ? 0 : nanos;
  }

  /** Reports a failure that ends the call (once) and returns it as the call's exception. */
  RuntimeException fail(Throwable failure) {
    RuntimeException exception = failure instanceof RuntimeException r ? r : new CompletionException(failure);
    // Exactly one callFailed for every failed call, whatever ended it, so observers can close what they opened.
    ApertureException reported = exception instanceof ApertureException e ? e
        : isCancellation(exception) ? new dev.aperture.CallCanceledException("the call was cancelled")
        : new ApertureException("the call failed with " + exception.getClass().getName(), exception);
    listener.callFailed(this, reported);
    return exception;
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static RuntimeException rethrow(@Nullable Throwable failure) {
    Throwable t = unwrap(Objects.requireNonNull(failure));
    if (t instanceof RuntimeException r) return r;
    if (t instanceof Error e) throw e;
    return new CompletionException(t);
  }

  static boolean isCancellation(Throwable failure) {
    return unwrap(failure) instanceof CancellationException;
  }
}
