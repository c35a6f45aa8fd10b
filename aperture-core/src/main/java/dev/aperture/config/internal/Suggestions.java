package dev.aperture.config.internal;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** "Did you mean" for misspelt keys and values. */
final class Suggestions {
  private Suggestions() {
  }

  /**
   * The candidate {@code word} was most likely meant as, or null if none is close: the same word in
   * another case or with {@code -} for {@code _} ({@code baseURL}, {@code add-headers}), else one
   * within a small edit distance ({@code provider}, {@code modles}).
   */
  static @Nullable String nearest(String word, Collection<String> candidates) {
    String normalized = normalize(word);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(normalized, normalize(candidate));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(1, Math.min(3, normalized.length() / 3));
    return bestDistance <= allowed ? best : null;
  }

  private static String normalize(String word) {
    return word.toLowerCase(Locale.ROOT).replace('-', '_').replace(" ", "");
  }

  /** Levenshtein distance; inputs are short keys, and long ones are cut off before they cost much. */
  static int distance(String a, String b) {
    if (a.length() > 64 || b.length() > 64) return a.equals(b) ? 0 : Integer.MAX_VALUE;
    return dev.aperture.internal.Suggestions.distance(a, b);
  }
}
