package dev.aperture;

import java.util.Objects;

/**
 * The model's only providers cannot be used by this Router: configured, but with no implementation
 * registered (an {@code anthropic} or {@code bedrock} provider without its module), or without a
 * {@code baseurl}. Says what is missing.
 */
public final class ProviderUnavailableException extends ApertureException {
  private final String providerId;
  private final String reason;

  public ProviderUnavailableException(String providerId, String model, String reason) {
    super("model '" + model + "' is served only by provider '" + providerId + "', which is unavailable: "
        + reason);
    this.providerId = Objects.requireNonNull(providerId, "providerId == null");
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public String providerId() {
    return providerId;
  }

  /** Why the provider cannot be used, such as "no provider factory for type 'anthropic'". */
  public String reason() {
    return reason;
  }
}
