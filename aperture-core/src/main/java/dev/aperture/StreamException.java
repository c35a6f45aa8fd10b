package dev.aperture;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A stream failed after it started: an in-band error event (OpenRouter sends these with HTTP 200 and
 * {@code finish_reason: "error"}), a connection cut mid-body, or a stream that ended without its end marker
 * or a finish reason. {@link #partialResponse()} holds what was received before the failure.
 */
public final class StreamException extends ProviderException {
  private final ChatResponse partialResponse;

  private StreamException(Builder builder) {
    super(builder);
    this.partialResponse = Objects.requireNonNull(builder.partialResponse, "partialResponse == null");
  }

  /** A builder for a failed stream of the provider {@code providerId}. */
  public static Builder builder(String providerId) {
    return new Builder(providerId);
  }

  /** Everything received before the failure: text so far, tool calls so far, usage if any. */
  public ChatResponse partialResponse() {
    return partialResponse;
  }

  /** The text received before the failure. */
  public String partialText() {
    return partialResponse.text();
  }

  /** Builds a {@link StreamException}; the partial response is required. */
  public static final class Builder extends ProviderException.Builder<Builder> {
    private @Nullable ChatResponse partialResponse;

    Builder(String providerId) {
      super(providerId);
    }

    /** What was received before the failure (required). */
    public Builder partialResponse(ChatResponse partialResponse) {
      this.partialResponse = Objects.requireNonNull(partialResponse, "partialResponse == null");
      return this;
    }

    @Override
    public StreamException build() {
      return new StreamException(this);
    }
  }
}
