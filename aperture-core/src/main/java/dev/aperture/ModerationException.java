package dev.aperture;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The provider refused the input on moderation or guardrail grounds (HTTP 403 on OpenRouter). Not
 * retryable; {@link #reasons()} lists why, when the provider said.
 */
public final class ModerationException extends ProviderException {
  private final List<String> reasons;

  public ModerationException(String providerId, int statusCode, String message,
      @Nullable String errorCode, String bodyExcerpt, List<String> reasons) {
    super(providerId, statusCode, message, false, null, errorCode, bodyExcerpt, null);
    this.reasons = List.copyOf(reasons);
  }

  /** The flagged categories, such as {@code harassment}; possibly empty. */
  public List<String> reasons() {
    return reasons;
  }
}
