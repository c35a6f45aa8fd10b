package dev.aperture;

import dev.aperture.internal.ObservedChatStream;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a call through an {@link Interceptor.Chain}: a whole {@link ChatResponse} for a plain
 * call, a {@link ChatStream} for a streamed one. One shape for both, so an interceptor that only rewrites
 * requests or observes responses works for streams too ({@link #onResponse}).
 */
public final class Exchange {
  private final @Nullable ChatResponse response;
  private final @Nullable ChatStream stream;

  private Exchange(@Nullable ChatResponse response, @Nullable ChatStream stream) {
    this.response = response;
    this.stream = stream;
  }

  public static Exchange of(ChatResponse response) {
    return new Exchange(Objects.requireNonNull(response, "response == null"), null);
  }

  public static Exchange of(ChatStream stream) {
    return new Exchange(null, Objects.requireNonNull(stream, "stream == null"));
  }

  public boolean isStream() {
    return stream != null;
  }

  /** The response of a plain call. */
  public ChatResponse response() {
    if (response == null) throw new IllegalStateException("this exchange is a stream; use stream()");
    return response;
  }

  /** The stream of a streamed call. */
  public ChatStream stream() {
    if (stream == null) throw new IllegalStateException("this exchange is not a stream; use response()");
    return stream;
  }

  /**
   * Calls {@code observer} with the complete response: now for a plain call, when the stream ends
   * successfully for a streamed one. Returns the exchange to hand back up the chain.
   */
  public Exchange onResponse(Consumer<ChatResponse> observer) {
    if (response != null) {
      observer.accept(response);
      return this;
    }
    return Exchange.of(new ObservedChatStream(Objects.requireNonNull(stream), observer));
  }
}
