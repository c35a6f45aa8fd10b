package dev.aperture;

import java.util.Objects;

/**
 * An upstream API key. Its {@code toString()} never shows the key, so a key that ends up in a log line,
 * an exception message or a debugger's summary stays secret; call {@link #reveal()} only where the key is
 * put on the wire.
 */
public final class ApiKey {
  private static final ApiKey NONE = new ApiKey("");

  /** The prefix of Aperture's key-file form: {@code keyfile::<base64 service-account JSON>} (Vertex). */
  public static final String KEYFILE_PREFIX = "keyfile::";

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /** A key; the empty string gives {@link #none()}. */
  public static ApiKey of(String value) {
    Objects.requireNonNull(value, "value == null");
    return value.isEmpty() ? NONE : new ApiKey(value);
  }

  /** No key: requests are sent without one. */
  public static ApiKey none() {
    return NONE;
  }

  /** Whether there is no key. */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  /** Whether this is Aperture's {@code keyfile::<base64>} form (a Vertex service-account key file). */
  public boolean isKeyfile() {
    return value.startsWith(KEYFILE_PREFIX);
  }

  /**
   * The key file of the {@code keyfile::} form, base64-decoded (the service-account JSON), or null when
   * this is not that form or its base64 is invalid. As secret as {@link #reveal()}.
   */
  public @org.jspecify.annotations.Nullable String revealKeyfile() {
    if (!isKeyfile()) return null;
    try {
      return new String(java.util.Base64.getMimeDecoder().decode(value.substring(KEYFILE_PREFIX.length())),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The key itself, for the request header. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object other) {
    return other instanceof ApiKey that && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    if (value.isEmpty()) return "ApiKey[none]";
    return isKeyfile() ? "ApiKey[keyfile, redacted]" : "ApiKey[redacted]";
  }
}
