package dev.aperture;

import dev.aperture.internal.FrozenJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Immutable deep copies of JSON-like values: String, Number, Boolean, null, List and Map with String
 * keys. Anything else is rejected at the boundary, so a value that cannot be written as JSON never gets
 * as far as the wire.
 */
final class JsonValues {
  private JsonValues() {
  }

  /** Thrown on the fast path, which does not track paths; the slow path then finds and names it. */
  private static final class NotJson extends RuntimeException {
    static final NotJson INSTANCE = new NotJson();

    private NotJson() {
      super(null, null, false, false);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, @Nullable Object> copyOfObject(Map<String, ? extends @Nullable Object> map,
      String path) {
    if (map.isEmpty()) return Map.of();
    if (FrozenJson.isFrozen(map)) return (Map<String, @Nullable Object>) map;
    try {
      return copyObject(map, null);
    } catch (NotJson e) {
      copyObject(map, path); // Walks again naming paths, and throws the precise error.
      throw new AssertionError(e);
    }
  }

  static @Nullable Object copy(@Nullable Object value, String path) {
    try {
      return copyValue(value, null);
    } catch (NotJson e) {
      copyValue(value, path);
      throw new AssertionError(e);
    }
  }

  /** With a null {@code path}, fails fast with {@link NotJson}; otherwise with the error to show. */
  private static Map<String, @Nullable Object> copyObject(Map<String, ? extends @Nullable Object> map,
      @Nullable String path) {
    Map<String, @Nullable Object> result = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
    for (Map.Entry<String, ? extends @Nullable Object> entry : map.entrySet()) {
      String key = entry.getKey();
      if (key == null) {
        if (path == null) throw NotJson.INSTANCE;
        throw new IllegalArgumentException(path + " has a null key");
      }
      result.put(key, copyValue(entry.getValue(), path == null ? null : path + "." + key));
    }
    return Collections.unmodifiableMap(result);
  }

  @SuppressWarnings("unchecked")
  private static @Nullable Object copyValue(@Nullable Object value, @Nullable String path) {
    if (value == null || value instanceof String || value instanceof Boolean) return value;
    if (FrozenJson.isFrozen(value)) return value;
    if (path == null && !(value instanceof Number || value instanceof Map || value instanceof List)) {
      throw NotJson.INSTANCE;
    }
    if (value instanceof Number) {
      if (value instanceof Integer || value instanceof Long || value instanceof Double
          || value instanceof Float || value instanceof BigDecimal || value instanceof BigInteger
          || value instanceof Short || value instanceof Byte) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())
            || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
          if (path == null) throw NotJson.INSTANCE;
          throw new IllegalArgumentException(path + " is " + value + ", which JSON cannot carry");
        }
        return value;
      }
      if (path == null) throw NotJson.INSTANCE;
      throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
          + "; use Long, Double or BigDecimal");
    }
    if (value instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!(key instanceof String)) {
          if (path == null) throw NotJson.INSTANCE;
          throw new IllegalArgumentException(path + " has a non-string key: " + key);
        }
      }
      if (map.isEmpty()) return Map.of();
      return copyObject((Map<String, ?>) map, path);
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) return List.of();
      List<@Nullable Object> result = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        result.add(copyValue(list.get(i), path == null ? null : path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(result);
    }
    throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
        + ", not a JSON value (String, Number, Boolean, null, List or Map)");
  }
}
