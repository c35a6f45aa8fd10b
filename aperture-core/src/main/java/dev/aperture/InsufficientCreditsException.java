package dev.aperture;

/** The account has too few credits for the call (HTTP 402 on OpenRouter). Not retryable. */
public final class InsufficientCreditsException extends ProviderException {
  private InsufficientCreditsException(Builder builder) {
    super(builder);
  }

  /** A builder for a failure of the provider {@code providerId}. */
  public static Builder builder(String providerId) {
    return new Builder(providerId);
  }

  /** Builds a {@link InsufficientCreditsException}. */
  public static final class Builder extends ProviderException.Builder<Builder> {
    Builder(String providerId) {
      super(providerId);
    }

    @Override
    public InsufficientCreditsException build() {
      return new InsufficientCreditsException(this);
    }
  }
}
