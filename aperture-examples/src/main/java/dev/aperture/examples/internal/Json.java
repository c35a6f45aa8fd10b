package dev.aperture.examples.internal;

import dev.aperture.internal.wire.OpenAiChatJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/** JSON-like values to and from JSON text, through core's lossless codec. */
public final class Json {
  private Json() {
  }

  /** Parses a whole document; throws {@link dev.aperture.internal.wire.WireFormatException} for bad JSON. */
  public static @Nullable Object read(Buffer source) throws IOException {
    return OpenAiChatJson.readValue(source);
  }

  /** The JSON text of {@code value}. */
  public static String toJson(@Nullable Object value) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeValue(value, buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // A Buffer does not fail.
    }
    return buffer.readUtf8();
  }
}
