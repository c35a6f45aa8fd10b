package dev.aperture.internal;

import dev.aperture.AccessDecision;
import dev.aperture.ApertureException;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Exchange;
import dev.aperture.ProviderException;
import dev.aperture.Route;
import dev.aperture.StreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The last stage: one attempt on one provider. Sends the provider its own model name, the grant's extra
 * headers and what is left of the call's deadline; checks that the answer came from a model the caller may
 * use. A stream is returned only once it is committed — its first content or tool-call delta has arrived
 * (keep-alives, role-only deltas and empty chunks do not commit) — so a stream that fails before that
 * fails over like any other attempt; the wait for that first content is bounded by the deadline too.
 */
final class ProviderStage implements Stage {
  private final RealRouter router;

  ProviderStage(RealRouter router) {
    this.router = router;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    RealCall call = chain.call;
    Route route = chain.requireRoute();
    if (chain.responses != null) {
      return completed(() -> Outcome.ofResponses(route.provider().responses(chain.responses.withModel(route.model()))));
    }
    ChatRequest routed = prepare(chain.chatRequest(), route, call);
    if (call.isStreaming()) return completed(() -> Outcome.of(Exchange.of(openCommitted(call, route, routed))));
    if (call.async) {
      return call.inFlight(route.provider().chatAsync(routed))
          .thenApply(response -> Outcome.of(Exchange.of(checked(call, route, routed, response))));
    }
    return completed(() -> Outcome.of(Exchange.of(checked(call, route, routed, route.provider().chat(routed)))));
  }

  private static CompletableFuture<Outcome> completed(java.util.function.Supplier<Outcome> attempt) {
    try {
      return CompletableFuture.completedFuture(attempt.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The request as this provider gets it: its own model names, the grant's headers, the time left. */
  private ChatRequest prepare(ChatRequest request, Route route, RealCall call) {
    ChatRequest routed = request.withModel(route.model());
    Map<String, @Nullable Object> rewrites = router.localModelSelectors(routed, route);
    List<AccessDecision.Header> headers = router.headersFor(call.caller(), route);
    Duration remaining = call.remaining();
    if (rewrites.isEmpty() && headers.isEmpty() && remaining == null) return routed;
    ChatRequest.Builder builder = routed.newBuilder();
    rewrites.forEach(builder::put);
    for (AccessDecision.Header header : headers) builder.header(header.name(), header.value());
    if (remaining != null) builder.timeout(remaining.isZero() ? Duration.ofMillis(1) : remaining);
    return builder.build();
  }

  private ChatResponse checked(RealCall call, Route route, ChatRequest request, ChatResponse response) {
    try {
      router.checkAnsweredModel(call.caller(), route, response.model(), request);
    } catch (dev.aperture.AccessDeniedException refused) {
      long cost = RealCall.costNanos(response);
      if (cost > 0) call.refusedAnswerCostNanos = cost; // paid upstream: charged, though not returned
      throw refused;
    }
    return response.withProvider(route.providerId());
  }

  private ChatStream openCommitted(RealCall call, Route route, ChatRequest request) {
    ChatStream upstream = route.provider().stream(request);
    AtomicBoolean timedOut = new AtomicBoolean();
    Duration remaining = call.remaining();
    ScheduledFuture<?> watchdog = remaining == null ? null
        : router.pipeline().scheduler().schedule(() -> {
          timedOut.set(true);
          upstream.close();
        }, Math.max(1, remaining.toMillis()), TimeUnit.MILLISECONDS);
    List<ChatChunk> buffered = new ArrayList<>();
    Iterator<ChatChunk> chunks;
    boolean committed = false;
    try {
      chunks = upstream.iterator();
      boolean modelChecked = false;
      while (chunks.hasNext()) {
        ChatChunk chunk = chunks.next();
        if (!modelChecked && !chunk.model().isEmpty()) {
          router.checkAnsweredModel(call.caller(), route, chunk.model(), request);
          modelChecked = true;
        }
        buffered.add(chunk);
        if (commits(chunk)) {
          committed = true;
          break;
        }
      }
    } catch (ApertureException e) {
      upstream.close();
      if (timedOut.get()) throw call.timedOut(e);
      throw beforeCommit(e);
    } finally {
      if (watchdog != null) watchdog.cancel(false);
    }
    if (timedOut.get()) {
      upstream.close();
      throw call.timedOut(null);
    }
    if (committed) call.listener.firstChunk(call, route);
    return new CommittedChatStream(route.providerId(), upstream, buffered, chunks);
  }

  /** Whether a chunk brings content the caller will see: text, reasoning, a tool call, or an end. */
  static boolean commits(ChatChunk chunk) {
    for (ChatChunk.Choice choice : chunk.choices()) {
      ChatChunk.Delta delta = choice.delta();
      if (delta.content() != null && !delta.content().isEmpty()) return true;
      if (delta.reasoning() != null && !delta.reasoning().isEmpty()) return true;
      if (!delta.toolCalls().isEmpty()) return true;
      if (choice.finishReason() != null) return true;
    }
    return false;
  }

  /**
   * A stream that failed before its first content: nothing reached the caller, so it may fail over. An
   * in-band error keeps its own type (a 429 stays a 429); a cut connection is a retryable failure.
   */
  private static ApertureException beforeCommit(ApertureException failure) {
    if (!(failure instanceof StreamException stream)) return failure;
    if (stream.getCause() instanceof ProviderException inBand && !(inBand instanceof StreamException)) return inBand;
    return ProviderException.builder(stream.providerId()).statusCode(stream.statusCode())
        .message("the stream failed before its first content: " + stream.getMessage()).retryable(true)
        .errorCode(stream.errorCode()).cause(stream).build();
  }

  @Override
  public String toString() {
    return "ProviderStage";
  }

  /** A committed stream: the chunks read while waiting for the first content, then the rest. */
  private static final class CommittedChatStream implements ChatStream {
    private final String providerId;
    private final ChatStream upstream;
    private final List<ChatChunk> buffered;
    private final Iterator<ChatChunk> rest;
    private boolean iterated;

    CommittedChatStream(String providerId, ChatStream upstream, List<ChatChunk> buffered, Iterator<ChatChunk> rest) {
      this.providerId = providerId;
      this.upstream = upstream;
      this.buffered = buffered;
      this.rest = rest;
    }

    @Override
    public String provider() {
      return providerId;
    }

    @Override
    public synchronized Iterator<ChatChunk> iterator() {
      if (iterated) throw new IllegalStateException("a stream can be iterated once");
      iterated = true;
      Iterator<ChatChunk> first = buffered.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return first.hasNext() || rest.hasNext();
        }

        @Override
        public ChatChunk next() {
          return first.hasNext() ? first.next() : rest.next();
        }
      };
    }

    @Override
    public ChatResponse response() {
      return upstream.response();
    }

    @Override
    public ChatResponse partialResponse() {
      return upstream.partialResponse();
    }

    @Override
    public boolean hasDelivered() {
      return iterated || upstream.hasDelivered();
    }

    @Override
    public boolean isComplete() {
      return upstream.isComplete();
    }

    @Override
    public void close() {
      upstream.close();
    }
  }
}
