package dev.aperture;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The provider refused the input on moderation or guardrail grounds (HTTP 403 on OpenRouter). Not
 * retryable; {@link #reasons()} lists why, when the provider said.
 */
public final class ModerationException extends ProviderException {
  private final List<String> reasons;

  private ModerationException(Builder builder) {
    super(builder);
    this.reasons = List.copyOf(builder.reasons);
  }

  /** A builder for a refusal by the provider {@code providerId}. */
  public static Builder builder(String providerId) {
    return new Builder(providerId);
  }

  /** The flagged categories, such as {@code harassment}; possibly empty. */
  public List<String> reasons() {
    return reasons;
  }

  /** Builds a {@link ModerationException}. */
  public static final class Builder extends ProviderException.Builder<Builder> {
    private final List<String> reasons = new ArrayList<>();

    Builder(String providerId) {
      super(providerId);
    }

    /** The flagged categories; default none. */
    public Builder reasons(List<String> reasons) {
      this.reasons.clear();
      for (String reason : reasons) this.reasons.add(Objects.requireNonNull(reason, "reason == null"));
      return this;
    }

    @Override
    public ModerationException build() {
      return new ModerationException(this);
    }
  }
}
