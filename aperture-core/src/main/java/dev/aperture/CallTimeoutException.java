package dev.aperture;

import java.time.Duration;
import java.util.List;

/**
 * The call's deadline ran out: every attempt and fallback shares one. Says how many attempts were made
 * and on which routes.
 */
public final class CallTimeoutException extends ApertureException {
  private final Duration timeout;
  private final List<String> attempts;

  /** @param attempts the qualified route name of each attempt made, in order */
  public CallTimeoutException(Duration timeout, List<String> attempts, @org.jspecify.annotations.Nullable Throwable cause) {
    super("call timed out after " + timeout.toMillis() + " ms and " + attempts.size()
        + (attempts.size() == 1 ? " attempt" : " attempts") + (attempts.isEmpty() ? "" : " (" + String.join(", ", attempts) + ")"),
        cause);
    this.timeout = timeout;
    this.attempts = List.copyOf(attempts);
  }

  public Duration timeout() {
    return timeout;
  }

  /** The qualified route name of each attempt made, in order. */
  public List<String> attempts() {
    return attempts;
  }
}
