package dev.aperture;

import java.io.IOException;

/**
 * The provider could not be reached or stopped answering: connection refused or reset, DNS failure, or a
 * timeout. {@link #statusCode()} is 0. Retryable when no response byte had arrived.
 */
public final class ProviderConnectionException extends ProviderException {
  private final boolean timedOut;

  public ProviderConnectionException(String providerId, String message, boolean retryable,
      boolean timedOut, IOException cause) {
    super(providerId, 0, message, retryable, null, null, "", cause);
    this.timedOut = timedOut;
  }

  /** True if the failure was a timeout rather than a refused or broken connection. */
  public boolean timedOut() {
    return timedOut;
  }
}
