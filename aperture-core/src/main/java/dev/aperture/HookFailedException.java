package dev.aperture;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code fail_closed} hook could not be asked (unreachable, non-2xx, an answer that is not a
 * {@code GuardrailResponse}, a timeout): the call is refused and no provider was called. A gateway answers
 * 503. The message says what went wrong, never the hook's key.
 */
public final class HookFailedException extends ApertureException {
  private final String hook;

  public HookFailedException(String hook, String reason, @Nullable Throwable cause) {
    super("hook '" + hook + "' failed and is fail_closed: " + reason, cause);
    this.hook = Objects.requireNonNull(hook, "hook == null");
  }

  public String hook() {
    return hook;
  }
}
