package dev.aperture.opentelemetry;

import dev.aperture.ApiFormat;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.ChunkSource;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Provider;
import dev.aperture.ProviderException;
import dev.aperture.Usage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An in-process provider for end-to-end tests: fails with the queued failures first, then answers; a
 * stream sends two content chunks, the last with a finish reason and the usage. Records the span that
 * was current each time it was called, which is what an instrumented HTTP client would parent to.
 */
final class ScriptedProvider implements Provider {
  private final String id;
  private final FakeClock clock;
  final Deque<RuntimeException> failures = new ArrayDeque<>();
  final List<SpanContext> currentSpans = Collections.synchronizedList(new ArrayList<>());

  ScriptedProvider(String id, FakeClock clock) {
    this.id = id;
    this.clock = clock;
  }

  /** A failure the Router may retry and fail over from, like an upstream 503. */
  ProviderException unavailable(@Nullable Duration retryAfter) {
    return ProviderException.builder(id).statusCode(503).message(id + " answered 503").retryable(true)
        .retryAfter(retryAfter).build();
  }

  /** A failure no other attempt would fix, like a 400. */
  ProviderException badRequest() {
    return ProviderException.builder(id).statusCode(400).message(id + " answered 400").build();
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
    currentSpans.add(Span.current().getSpanContext());
    clock.advance(Duration.ofMillis(100)); // The upstream's latency.
    RuntimeException failure = nextFailure();
    if (failure != null) throw failure;
    return ChatResponse.builder().id("gen-" + id).model(request.model()).provider(id).servedBy("Upstream")
        .created(1L)
        .addChoice(Choice.of(0, Message.assistant(id + " says hi"), FinishReason.STOP))
        .usage(Usage.builder().promptTokens(3).completionTokens(4).totalTokens(7)
            .cost(new BigDecimal("0.000002")).build())
        .build();
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    currentSpans.add(Span.current().getSpanContext());
    RuntimeException failure = nextFailure();
    if (failure != null) throw failure;
    Iterator<ChatChunk> chunks = List.of(
        chunk(request.model(), "Hel", null, null),
        chunk(request.model(), "lo", FinishReason.STOP, Usage.of(3, 4))).iterator();
    return ChatStream.of(id, new ChunkSource() {
      boolean ended;

      @Override
      public @Nullable ChatChunk next() {
        clock.advance(Duration.ofMillis(50)); // Each chunk's wait.
        if (!chunks.hasNext()) {
          ended = true;
          return null;
        }
        return chunks.next();
      }

      @Override
      public boolean sawEndMarker() {
        return ended;
      }

      @Override
      public void cancel() {
      }
    });
  }

  private synchronized @Nullable RuntimeException nextFailure() {
    return failures.poll();
  }

  private static ChatChunk chunk(String model, String content, @Nullable FinishReason finishReason,
      @Nullable Usage usage) {
    return ChatChunk.builder().id("gen-s").model(model).servedBy("Upstream").created(1L)
        .addChoice(ChatChunk.Choice.of(0, ChatChunk.Delta.ofContent(content), finishReason))
        .usage(usage).build();
  }
}
