package dev.aperture;

/** The provider rejected the credentials (HTTP 401): the key is missing, wrong or revoked. Not retryable. */
public final class AuthenticationException extends ProviderException {
  private AuthenticationException(Builder builder) {
    super(builder);
  }

  /** A builder for a failure of the provider {@code providerId}. */
  public static Builder builder(String providerId) {
    return new Builder(providerId);
  }

  /** Builds a {@link AuthenticationException}. */
  public static final class Builder extends ProviderException.Builder<Builder> {
    Builder(String providerId) {
      super(providerId);
    }

    @Override
    public AuthenticationException build() {
      return new AuthenticationException(this);
    }
  }
}
