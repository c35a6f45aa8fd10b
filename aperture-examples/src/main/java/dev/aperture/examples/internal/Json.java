package dev.aperture.examples.internal;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * JSON-like values (String, Number, Boolean, null, List, Map) to and from JSON text. Unlike Moshi's
 * {@code Object} adapter it keeps integers as {@link Long} (or {@link BigInteger}) and decimals as
 * {@link BigDecimal}, so a {@code 100} read here is written back as {@code 100}, not {@code 100.0}.
 */
public final class Json {
  private Json() {
  }

  /** Parses one JSON value; throws {@link com.squareup.moshi.JsonEncodingException} for malformed text. */
  public static @Nullable Object read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT: {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          map.put(name, read(reader));
        }
        reader.endObject();
        return map;
      }
      case BEGIN_ARRAY: {
        List<@Nullable Object> list = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) list.add(read(reader));
        reader.endArray();
        return list;
      }
      case STRING:
        return reader.nextString();
      case NUMBER:
        return number(reader.nextString());
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        return reader.nextNull();
      default:
        throw new com.squareup.moshi.JsonDataException("unexpected " + reader.peek() + " at "
            + reader.getPath());
    }
  }

  /** Parses a whole document, rejecting trailing content. */
  public static @Nullable Object read(Buffer source) throws IOException {
    JsonReader reader = JsonReader.of(source);
    Object value = read(reader);
    if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
      throw new com.squareup.moshi.JsonEncodingException("unexpected content after the JSON value at "
          + reader.getPath());
    }
    return value;
  }

  private static Number number(String text) {
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
      BigInteger value = new BigInteger(text);
      return value.bitLength() < 64 ? (Number) value.longValue() : value;
    }
    return new BigDecimal(text);
  }

  public static void write(JsonWriter writer, @Nullable Object value) throws IOException {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof String s) {
      writer.value(s);
    } else if (value instanceof Boolean b) {
      writer.value(b);
    } else if (value instanceof Number n) {
      writer.value(n);
    } else if (value instanceof Map<?, ?> map) {
      writer.beginObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        writer.name(String.valueOf(entry.getKey()));
        write(writer, entry.getValue());
      }
      writer.endObject();
    } else if (value instanceof List<?> list) {
      writer.beginArray();
      for (Object element : list) write(writer, element);
      writer.endArray();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  /** The JSON text of {@code value}. */
  public static String toJson(@Nullable Object value) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setSerializeNulls(true);
      write(writer, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // A Buffer does not fail.
    }
    return buffer.readUtf8();
  }
}
