package dev.aperture.redis;

import dev.aperture.ApertureException;
import org.jspecify.annotations.Nullable;

/**
 * Redis did not answer in time (or at all) and the store's {@link FaultPolicy} is
 * {@link FaultPolicy#FAIL_CLOSED}: for a quota reservation, the call is refused and no provider is
 * called. The message names the Redis address and the cause, never a credential.
 */
public final class RedisUnavailableException extends ApertureException {
  private final String address;
  private final boolean timedOut;

  /** {@code message} says what failed and where ({@code address}); it must not hold a credential. */
  public RedisUnavailableException(String message, String address, boolean timedOut, @Nullable Throwable cause) {
    super(message, cause);
    this.address = address;
    this.timedOut = timedOut;
  }

  /** {@code host:port} of the Redis that did not answer. */
  public String address() {
    return address;
  }

  /** True when Redis was reached but answered later than the command timeout. */
  public boolean timedOut() {
    return timedOut;
  }
}
