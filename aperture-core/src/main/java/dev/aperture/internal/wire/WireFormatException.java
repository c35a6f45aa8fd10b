package dev.aperture.internal.wire;

import dev.aperture.ApertureException;
import org.jspecify.annotations.Nullable;

/**
 * A JSON body is malformed or does not have the chat-completions shape. {@link #path()} says where, as a
 * JSON path such as {@code $.choices[0].message.content}. The message never quotes the input.
 */
public final class WireFormatException extends ApertureException {
  private final String path;

  public WireFormatException(String detail, String path, @Nullable Throwable cause) {
    super(detail + " at " + path, cause);
    this.path = path;
  }

  /** Where the input was wrong, as a JSON path ({@code $} is the document). */
  public String path() {
    return path;
  }
}
