package dev.aperture;

/** The provider rate-limited the call (HTTP 429). Retryable; {@link #retryAfter()} says when, if the provider said. */
public final class RateLimitedException extends ProviderException {
  private RateLimitedException(Builder builder) {
    super(builder);
  }

  /** A builder for a failure of the provider {@code providerId}. */
  public static Builder builder(String providerId) {
    return new Builder(providerId);
  }

  /** Builds a {@link RateLimitedException}. */
  public static final class Builder extends ProviderException.Builder<Builder> {
    Builder(String providerId) {
      super(providerId);
    }

    @Override
    public RateLimitedException build() {
      return new RateLimitedException(this);
    }
  }
}
