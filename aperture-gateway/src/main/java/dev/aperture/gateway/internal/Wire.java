package dev.aperture.gateway.internal;

import dev.aperture.ChatChunk;
import dev.aperture.ChatResponse;
import dev.aperture.internal.wire.OpenAiChatJson;
import dev.aperture.internal.wire.ParsedRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's only contact with the wire codec: request bodies from Netty buffers, responses and SSE
 * events into Netty buffers, each with one copy and no intermediate {@code String} or {@code byte[]}.
 */
public final class Wire {
  private static final byte[] DATA = {'d', 'a', 't', 'a', ':', ' '};
  private static final byte[] END_OF_EVENT = {'\n', '\n'};

  private Wire() {
  }

  /** The Okio view of {@code body}'s readable bytes (one copy); {@code body} is left unchanged. */
  static Buffer source(ByteBuf body) {
    Buffer buffer = new Buffer();
    try {
      for (ByteBuffer nio : body.nioBuffers()) buffer.write(nio);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // A Buffer does not fail.
    }
    return buffer;
  }

  /** Parses a chat-completions request body. */
  static ParsedRequest readChatRequest(ByteBuf body) throws IOException {
    return OpenAiChatJson.readRequest(source(body));
  }

  /** Parses any JSON document. */
  static @Nullable Object readValue(ByteBuf body) throws IOException {
    return OpenAiChatJson.readValue(source(body));
  }

  static ByteBuf writeResponse(ChatResponse response, ByteBufAllocator alloc) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeResponse(response, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return toByteBuf(buffer, alloc);
  }

  /** {@code data: <chunk JSON>\n\n}. */
  static ByteBuf chunkEvent(ChatChunk chunk, ByteBufAllocator alloc) {
    Buffer buffer = new Buffer().write(DATA);
    try {
      OpenAiChatJson.writeChunk(chunk, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.write(END_OF_EVENT);
    return toByteBuf(buffer, alloc);
  }

  /** {@code data: <text>\n\n}. */
  static ByteBuf dataEvent(String text, ByteBufAllocator alloc) {
    return toByteBuf(new Buffer().write(DATA).writeUtf8(text).write(END_OF_EVENT), alloc);
  }

  static ByteBuf json(@Nullable Object value, ByteBufAllocator alloc) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeValue(value, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return toByteBuf(buffer, alloc);
  }

  static String toJson(@Nullable Object value) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeValue(value, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.readUtf8();
  }

  /** Moves {@code buffer}'s bytes into one pooled buffer: a single copy, segment by segment. */
  static ByteBuf toByteBuf(Buffer buffer, ByteBufAllocator alloc) {
    int size = Math.toIntExact(buffer.size());
    ByteBuf out = alloc.buffer(size, size);
    ByteBuffer target = out.nioBuffer(0, size);
    try {
      while (target.hasRemaining()) {
        if (buffer.read(target) <= 0) throw new IllegalStateException("buffer ended early");
      }
    } catch (IOException e) {
      out.release();
      throw new UncheckedIOException(e); // A Buffer does not fail.
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    out.writerIndex(size);
    return out;
  }
}
