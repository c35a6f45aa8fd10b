package dev.aperture.config.internal;

/** Builds JSON paths such as {@code providers.openrouter.models[2]} for messages. */
final class JsonPaths {
  private JsonPaths() {
  }

  /** {@code parent.key}, or {@code parent["key"]} when the key would be ambiguous written bare. */
  static String member(String parent, String key) {
    if (isPlain(key)) return parent.isEmpty() ? key : parent + "." + key;
    return parent + "[" + quote(key) + "]";
  }

  static String element(String parent, int index) {
    return parent + "[" + index + "]";
  }

  private static boolean isPlain(String key) {
    if (key.isEmpty()) return false;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '[' || c == ']' || c == '"' || c == '\\' || Character.isWhitespace(c)
          || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  /** {@code text} as a JSON string literal, control characters escaped. */
  static String quote(String text) {
    StringBuilder result = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> result.append("\\\"");
        case '\\' -> result.append("\\\\");
        case '\n' -> result.append("\\n");
        case '\r' -> result.append("\\r");
        case '\t' -> result.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            result.append(String.format("\\u%04x", (int) c));
          } else {
            result.append(c);
          }
        }
      }
    }
    return result.append('"').toString();
  }
}
