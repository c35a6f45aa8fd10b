package dev.aperture;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Aperture throws. Unchecked, like OkHttp's and openai-java's: callers catch
 * the subtype they can act on ({@link ModelNotFoundException}, {@link AccessDeniedException},
 * {@link ProviderException}, ...) and let the rest propagate.
 *
 * <p>Messages never contain an API key.
 */
public class ApertureException extends RuntimeException {
  public ApertureException(String message) {
    super(message);
  }

  public ApertureException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
