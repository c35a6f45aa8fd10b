package dev.aperture;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory provider for tests: records every request, answers with an echo unless told otherwise,
 * and can be scripted to fail or to stream given chunks.
 */
class FakeProvider implements Provider {
  final String id;
  final Set<ApiFormat> formats;
  final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
  final Deque<RuntimeException> failures = new ArrayDeque<>();
  @Nullable Function<ChatRequest, RuntimeException> failWhen;
  @Nullable List<Object> streamScript; // ChatChunk, IOException or RuntimeException, in order
  boolean streamSendsDone = true;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger maxInFlight = new AtomicInteger();
  @Nullable CountDownLatch gate; // when set, chat() waits on it (released by the test)
  final AtomicInteger cancels = new AtomicInteger();
  @Nullable String diagnosis;

  FakeProvider(String id) {
    this(id, EnumSet.of(ApiFormat.OPENAI_CHAT));
  }

  FakeProvider(String id, Set<ApiFormat> formats) {
    this.id = id;
    this.formats = formats;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<ApiFormat> apiFormats() {
    return formats;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    requests.add(request);
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      if (gate != null) gate.await();
      RuntimeException failure = nextFailure(request);
      if (failure != null) throw failure;
      return answer(request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private synchronized @Nullable RuntimeException nextFailure(ChatRequest request) {
    if (failWhen != null) {
      RuntimeException failure = failWhen.apply(request);
      if (failure != null) return failure;
    }
    return failures.poll();
  }

  ChatResponse answer(ChatRequest request) {
    String last = request.messages().isEmpty() ? ""
        : request.messages().get(request.messages().size() - 1).text();
    Message message = Message.assistant(id + " says: " + last);
    return ChatResponse.builder()
        .id("gen-" + requests.size())
        .model(request.model())
        .provider(id)
        .servedBy("FakeUpstream")
        .created(1L)
        .addChoice(Choice.builder().message(message).finishReason(FinishReason.STOP)
            .nativeFinishReason("stop").build())
        .usage(Usage.of(3, 4))
        .build();
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    requests.add(request);
    RuntimeException failure = nextFailure(request);
    if (failure != null) throw failure;
    List<Object> script = streamScript != null ? streamScript : List.of(
        chunk("Hel", null), chunk("lo", FinishReason.STOP));
    Iterator<Object> steps = script.iterator();
    return ChatStream.of(id, new ChunkSource() {
      boolean done;

      @Override
      public @Nullable ChatChunk next() throws IOException {
        if (!steps.hasNext()) {
          done = streamSendsDone;
          return null;
        }
        Object step = steps.next();
        if (step instanceof IOException e) throw e;
        if (step instanceof RuntimeException e) throw e;
        return (ChatChunk) step;
      }

      @Override
      public boolean sawEndMarker() {
        return done;
      }

      @Override
      public void cancel() {
        cancels.incrementAndGet();
      }
    });
  }

  @Override
  public @Nullable String diagnose(String model, ApertureException failure) {
    return diagnosis;
  }

  /** A chunk that names no model, so the Router's check of the answering model lets it through. */
  static ChatChunk chunk(String content, @Nullable FinishReason finishReason) {
    return ChatChunk.builder().id("gen-s").model("").servedBy("FakeUpstream").created(1L)
        .addChoice(ChatChunk.Choice.of(0, ChatChunk.Delta.ofContent(content), finishReason))
        .build();
  }

  static ProviderException retryable(String providerId, int status) {
    return ProviderException.builder(providerId).statusCode(status)
        .message(providerId + " answered " + status).retryable(true).build();
  }

  static ProviderException retryable(String providerId, int status, java.time.Duration retryAfter) {
    return ProviderException.builder(providerId).statusCode(status)
        .message(providerId + " answered " + status).retryable(true).retryAfter(retryAfter).build();
  }

  static ProviderException permanent(String providerId, int status) {
    return ProviderException.builder(providerId).statusCode(status)
        .message(providerId + " answered " + status).build();
  }
}
