package dev.aperture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Hides secrets in text: every message, body excerpt, log line, {@code toString()} and gateway error
 * passes through one before it leaves the SDK. A configuration's redactor ({@code ApertureConfig.redactor()})
 * knows every secret the file holds: provider keys, hook keys, {@code add_headers} values (provider- and
 * grant-level) and credentials in base URLs.
 *
 * <p>Redact first, then shorten: {@link #redactThenTruncate} never leaves the head of a secret that a cut
 * went through. Immutable and thread-safe.
 */
public final class Redactor {
  /** What a secret is replaced with. */
  public static final String MASK = "<redacted>";

  private static final Redactor NONE = new Redactor(List.of());

  /** Longest first, so a secret that contains another is hidden whole. */
  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redactor that hides nothing. */
  public static Redactor none() {
    return NONE;
  }

  /** A redactor for {@code secrets}; empty strings are ignored. */
  public static Redactor of(Collection<String> secrets) {
    Set<String> unique = new LinkedHashSet<>();
    for (String secret : secrets) {
      Objects.requireNonNull(secret, "secret == null");
      if (!secret.isEmpty()) unique.add(secret);
    }
    if (unique.isEmpty()) return NONE;
    List<String> sorted = new ArrayList<>(unique);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(sorted));
  }

  /** This redactor and {@code other} together. */
  public Redactor plus(Redactor other) {
    if (other.secrets.isEmpty()) return this;
    if (secrets.isEmpty()) return other;
    List<String> all = new ArrayList<>(secrets);
    all.addAll(other.secrets);
    return of(all);
  }

  /** This redactor and {@code secrets} together. */
  public Redactor plus(Collection<String> secrets) {
    return plus(of(secrets));
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }

  /**
   * {@code text} with every secret replaced by {@link #MASK}: whole, in its JSON-escaped form, and any
   * piece of {@value #FRAGMENT} or more characters of a longer secret (an upstream that quotes part of a
   * key, or a message cut elsewhere) — so no {@value #FRAGMENT}-character run of a secret survives.
   */
  public String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      if (result.contains(secret)) result = result.replace(secret, MASK);
      String escaped = jsonEscaped(secret);
      if (!escaped.equals(secret) && result.contains(escaped)) result = result.replace(escaped, MASK);
    }
    for (String secret : secrets) {
      if (secret.length() <= FRAGMENT) continue;
      for (int start = 0; start + FRAGMENT <= secret.length(); start++) {
        String piece = secret.substring(start, start + FRAGMENT);
        int at = result.indexOf(piece);
        if (at < 0) continue;
        result = maskRun(result, at, secret, start);
      }
    }
    return result;
  }

  /** Shortest run of a secret that is masked wherever it appears. */
  private static final int FRAGMENT = 8;

  /**
   * Masks, at every place where {@code secret}'s piece at {@code start} appears, the longest run around it
   * that matches the secret, so a fragment is hidden whole rather than in overlapping bits.
   */
  private static String maskRun(String text, int firstAt, String secret, int start) {
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    int at = firstAt;
    String piece = secret.substring(start, start + FRAGMENT);
    while (at >= 0) {
      int left = at;
      int s = start;
      while (left > from && s > 0 && text.charAt(left - 1) == secret.charAt(s - 1)) {
        left--;
        s--;
      }
      int right = at + FRAGMENT;
      int e = start + FRAGMENT;
      while (right < text.length() && e < secret.length() && text.charAt(right) == secret.charAt(e)) {
        right++;
        e++;
      }
      out.append(text, from, left).append(MASK);
      from = right;
      at = text.indexOf(piece, from);
    }
    return out.append(text, from, text.length()).toString();
  }

  /** How {@code value} reads inside a JSON string: what an upstream echoing it in JSON would send. */
  private static String jsonEscaped(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        case '<', '>', '&', '=', '\'' -> out.append(String.format("\\u%04x", (int) c));
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * {@code text} redacted, then cut to at most {@code maxChars} characters (plus an ellipsis when cut).
   * The order matters: a cut first could keep a secret's head that {@link #redact} no longer recognises.
   */
  public String redactThenTruncate(String text, int maxChars) {
    if (maxChars < 0) throw new IllegalArgumentException("maxChars < 0");
    String redacted = redact(text);
    return redacted.length() <= maxChars ? redacted : redacted.substring(0, maxChars) + "…";
  }

  /** Counts the secrets, never shows them. */
  @Override
  public String toString() {
    return "Redactor{" + secrets.size() + " secrets}";
  }
}
