package dev.aperture.redis.internal;

/**
 * Redis did not answer: unreachable, slower than the command timeout, or refusing commands (loading,
 * out of memory, wrong credentials). The message names the address and the cause, never a secret.
 */
public final class RedisFault extends RuntimeException {
  private final boolean timedOut;

  RedisFault(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** True when Redis was reached but did not answer in time (the command may still run there). */
  public boolean timedOut() {
    return timedOut;
  }
}
