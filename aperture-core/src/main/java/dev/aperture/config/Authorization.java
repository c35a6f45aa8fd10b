package dev.aperture.config;

import dev.aperture.ApiKey;
import org.jspecify.annotations.Nullable;

/** How a provider's key is sent upstream: Aperture's {@code authorization} field. */
public enum Authorization {
  /** {@code Authorization: Bearer <key>}, the default. */
  BEARER("bearer", "Authorization"),
  /** {@code x-api-key: <key>} (Anthropic). */
  X_API_KEY("x-api-key", "x-api-key"),
  /** {@code x-goog-api-key: <key>} (Gemini). */
  X_GOOG_API_KEY("x-goog-api-key", "x-goog-api-key");

  private final String wireName;
  private final String headerName;

  Authorization(String wireName, String headerName) {
    this.wireName = wireName;
    this.headerName = headerName;
  }

  public String wireName() {
    return wireName;
  }

  public String headerName() {
    return headerName;
  }

  /** The header value that carries {@code key}. */
  public String headerValue(ApiKey key) {
    return this == BEARER ? "Bearer " + key.reveal() : key.reveal();
  }

  public static @Nullable Authorization fromWireName(String name) {
    for (Authorization value : values()) {
      if (value.wireName.equals(name)) return value;
    }
    return null;
  }
}
