package dev.aperture.internal;

import dev.aperture.ChatChunk;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import java.util.Iterator;
import java.util.function.Consumer;

/** A stream that hands its complete response to an observer once, when it ends successfully. */
public final class ObservedChatStream implements ChatStream {
  private final ChatStream delegate;
  private final Consumer<ChatResponse> observer;
  private boolean notified;

  public ObservedChatStream(ChatStream delegate, Consumer<ChatResponse> observer) {
    this.delegate = delegate;
    this.observer = observer;
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
        boolean hasNext = chunks.hasNext();
        // Closed early is not complete: an observer (accounting, quotas) must not take it for the end.
        if (!hasNext && delegate.isComplete()) notifyOnce(delegate.response());
        return hasNext;
      }

      @Override
      public ChatChunk next() {
        return chunks.next();
      }
    };
  }

  @Override
  public ChatResponse response() {
    ChatResponse response = delegate.response();
    if (delegate.isComplete()) notifyOnce(response);
    return response;
  }

  @Override
  public boolean isComplete() {
    return delegate.isComplete();
  }

  private synchronized void notifyOnce(ChatResponse response) {
    if (notified) return;
    notified = true;
    observer.accept(response);
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
  public void close() {
    delegate.close();
  }
}
