package dev.aperture.config.internal;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code ${NAME}} references in a secret. Messages name variables but never show the text
 * around them: that text is (part of) a key.
 */
final class EnvironmentSubstitution {
  private EnvironmentSubstitution() {
  }

  /**
   * {@code text} with every {@code ${NAME}} replaced by {@code environment.apply(NAME)}, or null after
   * recording an error for each malformed reference or unset variable.
   *
   * @param owner what needs the value, for messages, such as {@code provider "openrouter"}
   */
  static @Nullable String resolve(String text, String path, int line, String owner,
      Function<String, @Nullable String> environment, Diagnostics diagnostics) {
    StringBuilder result = new StringBuilder();
    boolean ok = true;
    int from = 0;
    while (true) {
      int start = text.indexOf("${", from);
      if (start < 0) break;
      result.append(text, from, start);
      int end = text.indexOf('}', start + 2);
      if (end < 0) {
        diagnostics.error(path, line, "'${' without a closing '}'; write ${NAME} to read the "
            + "environment variable NAME");
        return null;
      }
      String name = text.substring(start + 2, end);
      if (!isVariableName(name)) {
        diagnostics.error(path, line, "malformed ${...} reference: the name must be letters, digits "
            + "and '_', not starting with a digit");
        ok = false;
      } else {
        String value = environment.apply(name);
        if (value == null) {
          diagnostics.error(path, line, "environment variable " + name + " is not set (needed by "
              + owner + ")");
          ok = false;
        } else {
          result.append(value);
        }
      }
      from = end + 1;
    }
    result.append(text, from, text.length());
    return ok ? result.toString() : null;
  }

  static boolean isVariableName(String name) {
    if (name.isEmpty() || name.length() > 128) return false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!(letter || (i > 0 && c >= '0' && c <= '9'))) return false;
    }
    return true;
  }
}
