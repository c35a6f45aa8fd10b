package dev.aperture;

import dev.aperture.internal.RealChatStream;
import java.util.Iterator;

/**
 * A streamed chat completion, pulled chunk by chunk. Iterate it once; chunks arrive as the provider sends
 * them. When iteration ends normally, {@link #response()} is the accumulated response (text, tool calls
 * joined by index, the usage of a usage-only final chunk).
 *
 * <p>Always close it, ideally with try-with-resources. Closing before the end cancels the underlying call
 * and releases the connection; {@code close()} never throws and may be called more than once.
 *
 * <p>A failure while streaming (an in-band error event, a cut connection, a stream that ends without its
 * end marker or a finish reason) surfaces from the iterator as a {@link StreamException} carrying the
 * response received so far.
 */
public interface ChatStream extends Iterable<ChatChunk>, AutoCloseable {

  /** The id of the configured provider serving this stream. */
  String provider();

  /** The chunks, as they arrive. May be called once. */
  @Override
  Iterator<ChatChunk> iterator();

  /**
   * The accumulated response. Reads any chunks not yet read (blocking until the stream ends), then
   * returns. Throws {@link StreamException} if the stream failed.
   */
  ChatResponse response();

  /** What has been received so far, without reading further. */
  ChatResponse partialResponse();

  /** True once at least one chunk has been delivered to the caller. */
  boolean hasDelivered();

  /**
   * True once the stream has ended normally (its end marker or a finish reason was read); false while it
   * runs, after a failure, and after an early {@link #close()}.
   */
  boolean isComplete();

  /** Cancels the call if it is still running and releases its resources. Never throws. */
  @Override
  void close();

  /**
   * Wraps a provider's chunk source into a stream: accumulation, end-of-stream checks and idempotent
   * close are done here, so a provider author writes only the parsing.
   */
  static ChatStream of(String providerId, ChunkSource source) {
    return new RealChatStream(providerId, source);
  }
}
