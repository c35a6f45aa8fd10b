package dev.aperture.openrouter.internal;

import dev.aperture.ChatChunk;
import dev.aperture.ChunkSource;
import dev.aperture.internal.wire.OpenAiChatJson;
import dev.aperture.internal.wire.WireFormatException;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;
import okio.Buffer;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * The chunks of one streamed OpenRouter call, parsed from its server-sent events as the caller pulls
 * them: {@code data: [DONE]} ends the stream, an event carrying a top-level {@code error} is thrown as a
 * {@link dev.aperture.ProviderException}, and the body is released at the end or on {@link #cancel()}.
 */
public final class SseChunkSource implements ChunkSource {
  private static final ByteString DONE = ByteString.encodeUtf8("[DONE]");

  private final Call call;
  private final Response response;
  private final SseReader events;
  private final OpenRouterErrors errors;
  private volatile boolean sawEndMarker;
  private volatile boolean ended;
  private volatile @Nullable String firstChunkId;

  public SseChunkSource(Call call, Response response, OpenRouterErrors errors) {
    this.call = call;
    this.response = response;
    this.events = new SseReader(response.body().source());
    this.errors = errors;
  }

  @Override
  public @Nullable ChatChunk next() throws IOException {
    if (ended) return null;
    while (true) {
      Buffer data = events.nextEventData();
      if (data == null) {
        end();
        return null;
      }
      if (data.size() == DONE.size() && data.rangeEquals(0, DONE)) {
        sawEndMarker = true;
        end();
        return null;
      }
      if (isBlank(data)) continue;
      ChatChunk chunk;
      try {
        chunk = OpenAiChatJson.readChunk(data);
      } catch (WireFormatException e) {
        throw errors.malformed(200, "", "a malformed stream chunk: " + e.getMessage(), e);
      }
      if (firstChunkId == null && !chunk.id().isEmpty()) firstChunkId = chunk.id();
      Object error = chunk.extra().get("error");
      if (error != null) {
        end();
        throw errors.streamError(error);
      }
      return chunk;
    }
  }

  /**
   * The {@code X-Generation-Id} header, or when it is missing the id of the first chunk read: OpenRouter's
   * generation id is the completion's {@code id}, which every chunk carries.
   */
  @Override
  public @Nullable String generationId() {
    String header = response.header("X-Generation-Id");
    return header != null ? header : firstChunkId;
  }

  @Override
  public boolean sawEndMarker() {
    return sawEndMarker;
  }

  /** Cancels the HTTP call (so the upstream stops generating) and releases the connection. */
  @Override
  public void cancel() {
    if (!ended) call.cancel();
    end();
  }

  private void end() {
    ended = true;
    try {
      response.close();
    } catch (RuntimeException ignored) {
      // Closing a body another thread is reading may fail; the call is released either way.
    }
  }

  private static boolean isBlank(Buffer data) {
    for (long i = 0, size = data.size(); i < size; i++) {
      byte b = data.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return false;
    }
    return true;
  }
}
