package dev.aperture;

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

  static Map<String, @Nullable Object> copyOfObject(Map<String, ? extends @Nullable Object> map,
      String path) {
    if (map.isEmpty()) return Map.of();
    Map<String, @Nullable Object> result = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends @Nullable Object> entry : map.entrySet()) {
      String key = entry.getKey();
      if (key == null) throw new IllegalArgumentException(path + " has a null key");
      result.put(key, copy(entry.getValue(), path + "." + key));
    }
    return Collections.unmodifiableMap(result);
  }

  @SuppressWarnings("unchecked")
  static @Nullable Object copy(@Nullable Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) return value;
    if (value instanceof Number) {
      if (value instanceof Integer || value instanceof Long || value instanceof Double
          || value instanceof Float || value instanceof BigDecimal || value instanceof BigInteger
          || value instanceof Short || value instanceof Byte) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())
            || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
          throw new IllegalArgumentException(path + " is " + value + ", which JSON cannot carry");
        }
        return value;
      }
      throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
          + "; use Long, Double or BigDecimal");
    }
    if (value instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!(key instanceof String)) {
          throw new IllegalArgumentException(path + " has a non-string key: " + key);
        }
      }
      return copyOfObject((Map<String, ?>) map, path);
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) return List.of();
      List<@Nullable Object> result = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        result.add(copy(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(result);
    }
    throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
        + ", not a JSON value (String, Number, Boolean, null, List or Map)");
  }
}
