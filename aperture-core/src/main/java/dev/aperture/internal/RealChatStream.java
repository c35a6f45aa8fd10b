package dev.aperture.internal;

import dev.aperture.ChatChunk;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ChunkSource;
import dev.aperture.FinishReason;
import dev.aperture.ProviderException;
import dev.aperture.StreamException;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ChatStream} over a provider's {@link ChunkSource}: pulls chunks on demand, accumulates them,
 * checks that the stream really ended, and turns every failure into a {@link StreamException} that
 * carries what was received.
 */
public final class RealChatStream implements ChatStream {
  private final String providerId;
  private final ChunkSource source;
  private final StreamAccumulator accumulator;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean closed;
  private boolean iteratorTaken;
  private boolean finished;
  private volatile boolean complete;
  private volatile boolean delivered;
  private @Nullable ChatChunk next;
  private @Nullable StreamException failure;

  public RealChatStream(String providerId, ChunkSource source) {
    this.providerId = providerId;
    this.source = source;
    this.accumulator = new StreamAccumulator(providerId);
    this.accumulator.generationId(source::generationId);
  }

  @Override
  public String provider() {
    return providerId;
  }

  @Override
  public synchronized Iterator<ChatChunk> iterator() {
    if (iteratorTaken) throw new IllegalStateException("a ChatStream can be iterated only once");
    iteratorTaken = true;
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return advance();
      }

      @Override
      public ChatChunk next() {
        synchronized (RealChatStream.this) {
          if (!advance()) throw new NoSuchElementException();
          ChatChunk result = RealChatStream.this.next;
          RealChatStream.this.next = null;
          delivered = true;
          return result;
        }
      }
    };
  }

  /** Reads ahead one chunk if none is buffered; false at the end. Throws the stream's failure. */
  private synchronized boolean advance() {
    if (next != null) return true;
    if (failure != null) throw failure;
    if (finished) return false;
    if (closed) {
      finished = true;
      return false;
    }
    ChatChunk chunk;
    try {
      chunk = source.next();
    } catch (ProviderException e) {
      throw fail(e.getMessage(), e.errorCode(), e);
    } catch (IOException | RuntimeException e) {
      if (closed) { // The application closed the stream from another thread: a quiet end.
        finished = true;
        return false;
      }
      throw fail("stream interrupted after " + snapshot().text().length()
          + " characters: " + e, null, e);
    }
    if (chunk == null) {
      finished = true;
      release();
      boolean ended;
      synchronized (accumulator) {
        ended = source.sawEndMarker() || accumulator.hasFinishReason();
      }
      if (!ended && !closed) {
        throw fail("stream ended without [DONE] or a finish reason: the connection was cut", null, null);
      }
      complete = ended && !closed;
      return false;
    }
    synchronized (accumulator) {
      accumulator.add(chunk);
    }
    for (ChatChunk.Choice choice : chunk.choices()) {
      if (FinishReason.ERROR.equals(choice.finishReason())) {
        throw fail("the provider ended the stream with finish_reason \"error\"", null, null);
      }
    }
    next = chunk;
    return true;
  }

  private StreamException fail(@Nullable String message, @Nullable String errorCode,
      @Nullable Throwable cause) {
    finished = true;
    release();
    failure = StreamException.builder(providerId)
        .message(message != null ? message : "stream failed")
        .errorCode(errorCode)
        .partialResponse(snapshot())
        .cause(cause)
        .build();
    return failure;
  }

  @Override
  public synchronized ChatResponse response() {
    if (!iteratorTaken) iteratorTaken = true;
    while (advance()) {
      next = null;
      delivered = true;
    }
    return snapshot();
  }

  /** Not synchronized on the stream: it must not wait behind a reader blocked on the network. */
  @Override
  public ChatResponse partialResponse() {
    return snapshot();
  }

  private ChatResponse snapshot() {
    synchronized (accumulator) {
      return accumulator.build();
    }
  }

  @Override
  public boolean isComplete() {
    return complete;
  }

  @Override
  public boolean hasDelivered() {
    return delivered;
  }

  @Override
  public void close() {
    // Not synchronized: close() must be able to interrupt a reader blocked in advance().
    closed = true;
    release();
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      try {
        source.cancel();
      } catch (RuntimeException ignored) {
        // cancel() must not throw; a provider that does is not allowed to break close().
      }
    }
  }
}
