package dev.aperture.internal.wire;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import dev.aperture.internal.FrozenJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Untyped JSON values (String, Long, BigDecimal, Boolean, null, List, Map) read and written losslessly,
 * plus strict scalar reads. Moshi's own {@code readJsonValue} turns every number into a Double, which
 * loses large integers and exact decimals; this keeps the digits.
 */
final class JsonTree {
  private JsonTree() {
  }

  static @Nullable Object readValue(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT: {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          map.put(name, readValue(reader));
        }
        reader.endObject();
        return FrozenJson.map(map);
      }
      case BEGIN_ARRAY: {
        List<@Nullable Object> list = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) list.add(readValue(reader));
        reader.endArray();
        return FrozenJson.list(list);
      }
      case STRING:
        return reader.nextString();
      case NUMBER:
        return toNumber(reader.nextString());
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        return reader.nextNull();
      default:
        throw new JsonDataException("Expected a value but was " + reader.peek() + " at path "
            + reader.getPath());
    }
  }

  /** A Long when the literal is an integer that fits, else a BigDecimal with every digit kept. */
  static Number toNumber(String literal) {
    boolean integral = true;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') {
        integral = false;
        break;
      }
    }
    if (integral && literal.length() <= 19) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException ignored) {
        // Out of long range: fall through to BigDecimal.
      }
    }
    return new BigDecimal(literal);
  }

  static void writeValue(JsonWriter writer, @Nullable Object value) throws IOException {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof String s) {
      writer.value(s);
    } else if (value instanceof Boolean b) {
      writer.value(b.booleanValue());
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      writer.value(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      writer.value(((Number) value).doubleValue());
    } else if (value instanceof BigDecimal || value instanceof BigInteger) {
      writer.value((Number) value);
    } else if (value instanceof Map<?, ?> map) {
      writer.beginObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        writer.name((String) entry.getKey());
        writeValue(writer, entry.getValue());
      }
      writer.endObject();
    } else if (value instanceof List<?> list) {
      writer.beginArray();
      for (Object element : list) writeValue(writer, element);
      writer.endArray();
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName()
          + " at " + writer.getPath());
    }
  }

  static @Nullable String stringOrNull(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) return reader.nextNull();
    if (token != JsonReader.Token.STRING) {
      throw new JsonDataException("Expected a string but was " + token + " at path " + reader.getPath());
    }
    return reader.nextString();
  }

  static String string(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token != JsonReader.Token.STRING) {
      throw new JsonDataException("Expected a string but was " + token + " at path " + reader.getPath());
    }
    return reader.nextString();
  }

  /** A number, or 0 for null. */
  static long longOrZero(JsonReader reader) throws IOException {
    return numberFollows(reader) ? reader.nextLong() : 0;
  }

  /** True if a number is next; false (having consumed it) for null; otherwise a type error. */
  private static boolean numberFollows(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) {
      reader.nextNull();
      return false;
    }
    if (token != JsonReader.Token.NUMBER) {
      throw new JsonDataException("Expected a number but was " + token + " at path " + reader.getPath());
    }
    return true;
  }

  static @Nullable Long longOrNull(JsonReader reader) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) return reader.nextNull();
    return longOrZero(reader);
  }

  static int intOrZero(JsonReader reader) throws IOException {
    return numberFollows(reader) ? reader.nextInt() : 0;
  }

  static @Nullable Double doubleOrNull(JsonReader reader) throws IOException {
    return numberFollows(reader) ? reader.nextDouble() : null;
  }

  /** An exact decimal: a JSON number (or a numeric string, as some proxies send), or null. */
  static @Nullable BigDecimal decimalOrNull(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) return reader.nextNull();
    if (token != JsonReader.Token.NUMBER && token != JsonReader.Token.STRING) {
      throw new JsonDataException("Expected a number but was " + token + " at path " + reader.getPath());
    }
    String literal = reader.nextString();
    try {
      return new BigDecimal(literal);
    } catch (NumberFormatException e) {
      throw new JsonDataException("Expected a number but was a non-numeric string at path "
          + reader.getPath());
    }
  }

  static @Nullable Boolean booleanOrNull(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) return reader.nextNull();
    if (token != JsonReader.Token.BOOLEAN) {
      throw new JsonDataException("Expected a boolean but was " + token + " at path " + reader.getPath());
    }
    return reader.nextBoolean();
  }

  /** True if the next value is null (and consumes it), so optional objects and arrays can be skipped. */
  static boolean skipNull(JsonReader reader) throws IOException {
    if (reader.peek() == JsonReader.Token.NULL) {
      reader.nextNull();
      return true;
    }
    return false;
  }

  static void expect(JsonReader reader, JsonReader.Token expected) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token != expected) {
      throw new JsonDataException("Expected " + article(expected) + " but was " + token + " at path "
          + reader.getPath());
    }
  }

  private static String article(JsonReader.Token token) {
    return switch (token) {
      case BEGIN_OBJECT -> "an object";
      case BEGIN_ARRAY -> "an array";
      default -> token.toString();
    };
  }

  /** A number in a parsed tree as a long, or 0 when absent or not a number. */
  static long longIn(@Nullable Object tree, String name) {
    if (tree instanceof Map<?, ?> map && map.get(name) instanceof Number number) {
      return number.longValue();
    }
    return 0;
  }
}
