package dev.aperture;

/**
 * The provider could not be reached or stopped answering: connection refused or reset, DNS failure, or a
 * timeout. {@link #statusCode()} is 0. Retryable when no response byte had arrived.
 */
public final class ProviderConnectionException extends ProviderException {
  private final boolean timedOut;

  private ProviderConnectionException(Builder builder) {
    super(builder);
    this.timedOut = builder.timedOut;
  }

  /** A builder for a transport failure of the provider {@code providerId}. */
  public static Builder builder(String providerId) {
    return new Builder(providerId);
  }

  /** True if the failure was a timeout rather than a refused or broken connection. */
  public boolean timedOut() {
    return timedOut;
  }

  /** Builds a {@link ProviderConnectionException}; its status stays 0 unless set. */
  public static final class Builder extends ProviderException.Builder<Builder> {
    private boolean timedOut;

    Builder(String providerId) {
      super(providerId);
    }

    /** Whether the failure was a timeout; default false. */
    public Builder timedOut(boolean timedOut) {
      this.timedOut = timedOut;
      return this;
    }

    @Override
    public ProviderConnectionException build() {
      return new ProviderConnectionException(this);
    }
  }
}
