package dev.aperture;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Provider} implements to stream: the parsed chunks of one call, in order. Turn one into a
 * {@link ChatStream} with {@link ChatStream#of}.
 */
public interface ChunkSource {
  /**
   * Blocks until the next chunk is available and returns it, or returns null when the stream has ended
   * (its end marker was read, or the body ended). Throws a {@link ProviderException} for an in-band error
   * event, and {@link IOException} when reading fails; the stream turns both into a
   * {@link StreamException} carrying what was received so far.
   */
  @Nullable ChatChunk next() throws IOException;

  /** True if the stream's end marker (such as {@code data: [DONE]}) was read. */
  boolean sawEndMarker();

  /** The provider's id for this generation (OpenRouter's {@code X-Generation-Id}), if it sent one. */
  default @Nullable String generationId() {
    return null;
  }

  /** Cancels the call and releases its resources. Called once, from any thread; must not throw. */
  void cancel();
}
