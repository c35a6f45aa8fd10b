package dev.aperture;

import dev.aperture.internal.TrackedChatStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The outcome of a call through an {@link Interceptor.Chain}: a {@link Plain} response for a plain call, a
 * {@link Streamed} one for a streamed call. A sealed type, so the wrong accessor cannot be called:
 *
 * <pre>{@code
 * Exchange exchange = chain.proceed(chain.request());
 * if (exchange instanceof Exchange.Plain plain) log(plain.response().usage());
 * return exchange;
 * }</pre>
 *
 * An interceptor that only observes responses works for both kinds through {@link #onResponse}.
 */
public sealed interface Exchange permits Exchange.Plain, Exchange.Streamed {

  /** A plain call's whole response. */
  static Exchange.Plain of(ChatResponse response) {
    return new Plain(response);
  }

  /** A streamed call's stream. */
  static Exchange.Streamed of(ChatStream stream) {
    return new Streamed(stream);
  }

  /** True for a {@link Streamed} exchange. */
  default boolean isStream() {
    return this instanceof Streamed;
  }

  /**
   * Calls {@code observer} with the complete response: now for a plain call, when the stream ends
   * successfully for a streamed one. Returns the exchange to hand back up the chain.
   */
  Exchange onResponse(Consumer<ChatResponse> observer);

  /** The outcome of a plain call. */
  record Plain(ChatResponse response) implements Exchange {
    public Plain {
      Objects.requireNonNull(response, "response == null");
    }

    @Override
    public Exchange onResponse(Consumer<ChatResponse> observer) {
      observer.accept(response);
      return this;
    }
  }

  /** The outcome of a streamed call: the stream, not yet read. */
  record Streamed(ChatStream stream) implements Exchange {
    public Streamed {
      Objects.requireNonNull(stream, "stream == null");
    }

    @Override
    public Exchange onResponse(Consumer<ChatResponse> observer) {
      // Completed streams only: one closed early or failed is not a response to observe.
      TrackedChatStream tracked = TrackedChatStream.of(stream);
      tracked.whenDone(end -> {
        if (end.response() != null) observer.accept(end.response());
      });
      return new Streamed(tracked);
    }
  }
}
