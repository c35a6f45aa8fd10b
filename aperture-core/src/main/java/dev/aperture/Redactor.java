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

  /** {@code text} with every secret replaced by {@link #MASK}. */
  public String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      if (result.contains(secret)) result = result.replace(secret, MASK);
    }
    return result;
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
