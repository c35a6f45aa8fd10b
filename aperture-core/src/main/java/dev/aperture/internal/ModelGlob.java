package dev.aperture.internal;

import java.util.Arrays;

/**
 * A grant's model pattern over {@code provider/model}: {@code *} matches within one segment, a segment
 * that is exactly {@code **} matches any number of segments (including none). Everything else matches
 * itself exactly, case included: the name it is matched against is the Router's canonical route name,
 * never the caller's spelling.
 */
public final class ModelGlob {
  private final String pattern;
  private final String[] segments;
  private final boolean literal;

  /** Compiles {@code pattern}. */
  public ModelGlob(String pattern) {
    this.pattern = pattern;
    this.segments = pattern.split("/", -1);
    this.literal = pattern.indexOf('*') < 0;
  }

  /** Whether the pattern has no {@code *}: it matches only itself. */
  public boolean isLiteral() {
    return literal;
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }

  /** Whether {@code qualifiedName} ({@code provider/model}) matches. */
  public boolean matches(String qualifiedName) {
    if (literal) return pattern.equals(qualifiedName);
    // No configured model name has whitespace or control characters: a wildcard never stands for them.
    for (int i = 0; i < qualifiedName.length(); i++) {
      char c = qualifiedName.charAt(i);
      if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isSpaceChar(c)) return false;
    }
    return matchSegments(0, qualifiedName.split("/", -1), 0);
  }

  private boolean matchSegments(int p, String[] name, int n) {
    while (p < segments.length) {
      String segment = segments[p];
      if (segment.equals("**")) {
        if (p == segments.length - 1) return true; // Trailing ** takes the rest.
        for (int skip = n; skip <= name.length; skip++) {
          if (matchSegments(p + 1, name, skip)) return true;
        }
        return false;
      }
      if (n >= name.length || !matchSegment(segment, name[n])) return false;
      p++;
      n++;
    }
    return n == name.length;
  }

  /** Matches one segment where {@code *} stands for any run of characters within it. */
  static boolean matchSegment(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starText = t;
      } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
        p++;
        t++;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return pattern + Arrays.toString(segments);
  }
}
