package dev.aperture.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The names nearest to a mistyped one, for "did you mean" messages. */
public final class Suggestions {
  private static final int MAX_LENGTH = 200;

  private Suggestions() {
  }

  public static List<String> nearest(String wanted, Iterable<String> candidates, int limit) {
    String target = wanted.strip().toLowerCase(Locale.ROOT);
    // Names come from callers (a gateway's clients too): an absurd one gets no suggestion, not a
    // quadratic amount of work.
    if (target.length() > MAX_LENGTH) return List.of();
    record Scored(String name, int distance) {
    }
    List<Scored> scored = new ArrayList<>();
    for (String candidate : candidates) {
      String lower = candidate.toLowerCase(Locale.ROOT);
      if (lower.length() > MAX_LENGTH) continue;
      int distance = distance(target, lower);
      // Also score against the part after a provider prefix, and a plain containment.
      int slash = lower.indexOf('/');
      if (slash > 0) distance = Math.min(distance, distance(target, lower.substring(slash + 1)) + 1);
      if (!target.isEmpty() && (lower.contains(target) || target.contains(lower))) {
        distance = Math.min(distance, 2);
      }
      int allowed = Math.max(3, Math.min(target.length(), lower.length()) / 3);
      if (distance <= allowed) scored.add(new Scored(candidate, distance));
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    List<String> result = new ArrayList<>();
    for (Scored s : scored) {
      if (!result.contains(s.name())) result.add(s.name());
      if (result.size() == limit) break;
    }
    return result;
  }

  /** Levenshtein distance, two rows. */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) previous[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
