package dev.aperture.internal;

import dev.aperture.ApertureException;
import dev.aperture.CallCanceledException;
import dev.aperture.ChatChunk;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A stream that tells the pipeline's stages how it ended, exactly once: completed (with the whole
 * response), failed, or closed early by the caller. Quotas settle, post-response hooks fire and the
 * listener hears {@code callEnd}/{@code callFailed} from here; {@code Exchange.onResponse} observes through it.
 */
public final class TrackedChatStream implements ChatStream {
  /** How a stream ended: {@code response} when it completed, else {@code failure}. */
  public record End(@Nullable ChatResponse response, @Nullable ApertureException failure, ChatResponse partial) {
    public boolean closedEarly() {
      return failure instanceof CallCanceledException;
    }
  }

  private final ChatStream delegate;
  private final List<Consumer<End>> callbacks = new ArrayList<>(2);
  private volatile @Nullable Consumer<ChatChunk> chunkObserver;
  private final AtomicBoolean ended = new AtomicBoolean();

  private TrackedChatStream(ChatStream delegate) {
    this.delegate = delegate;
  }

  /** {@code stream} itself when it is already tracked, so every stage shares one. */
  public static TrackedChatStream of(ChatStream stream) {
    return stream instanceof TrackedChatStream tracked ? tracked : new TrackedChatStream(stream);
  }

  /** Runs {@code callback} when the stream ends; callbacks run in the order added. */
  public synchronized void whenDone(Consumer<End> callback) {
    callbacks.add(callback);
  }

  /** Shows every chunk the caller reads to {@code observer} too (post-response hooks' raw events). */
  synchronized void onChunk(Consumer<ChatChunk> observer) {
    Consumer<ChatChunk> previous = chunkObserver;
    chunkObserver = previous == null ? observer : previous.andThen(observer);
  }

  private void end(End end) {
    if (!ended.compareAndSet(false, true)) return;
    List<Consumer<End>> toRun;
    synchronized (this) {
      toRun = List.copyOf(callbacks);
    }
    for (Consumer<End> callback : toRun) {
      try {
        callback.accept(end);
      } catch (RuntimeException e) {
        System.getLogger("dev.aperture.Router").log(System.Logger.Level.WARNING,
            "a stream-end callback failed: " + e.getClass().getSimpleName());
      }
    }
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  @Override
  public Iterator<ChatChunk> iterator() {
    Iterator<ChatChunk> chunks = delegate.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          boolean hasNext = chunks.hasNext();
          if (!hasNext && delegate.isComplete()) end(new End(delegate.response(), null, delegate.partialResponse()));
          return hasNext;
        } catch (ApertureException e) {
          end(new End(null, e, delegate.partialResponse()));
          throw e;
        }
      }

      @Override
      public ChatChunk next() {
        try {
          ChatChunk chunk = chunks.next();
          Consumer<ChatChunk> observer = chunkObserver;
          if (observer != null) observer.accept(chunk);
          return chunk;
        } catch (ApertureException e) {
          end(new End(null, e, delegate.partialResponse()));
          throw e;
        }
      }
    };
  }

  @Override
  public ChatResponse response() {
    try {
      ChatResponse response = delegate.response();
      if (delegate.isComplete()) end(new End(response, null, response));
      return response;
    } catch (ApertureException e) {
      end(new End(null, e, delegate.partialResponse()));
      throw e;
    }
  }

  @Override
  public ChatResponse partialResponse() {
    return delegate.partialResponse();
  }

  @Override
  public boolean hasDelivered() {
    return delegate.hasDelivered();
  }

  @Override
  public boolean isComplete() {
    return delegate.isComplete();
  }

  @Override
  public void close() {
    delegate.close();
    if (!delegate.isComplete()) {
      end(new End(null, new CallCanceledException("the caller closed the stream before it ended"),
          delegate.partialResponse()));
    }
  }
}
