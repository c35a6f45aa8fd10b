package dev.aperture;

import java.util.Objects;

/**
 * An upstream API key. Its {@code toString()} never shows the key, so a key that ends up in a log line,
 * an exception message or a debugger's summary stays secret; call {@link #reveal()} only where the key is
 * put on the wire.
 */
public final class ApiKey {
  private static final ApiKey NONE = new ApiKey("");

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  public static ApiKey of(String value) {
    Objects.requireNonNull(value, "value == null");
    return value.isEmpty() ? NONE : new ApiKey(value);
  }

  public static ApiKey none() {
    return NONE;
  }

  public boolean isEmpty() {
    return value.isEmpty();
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
    return value.isEmpty() ? "ApiKey[none]" : "ApiKey[redacted]";
  }
}
