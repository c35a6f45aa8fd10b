package dev.aperture;

import org.jspecify.annotations.Nullable;

/**
 * A stream failed after it started: an in-band error event (OpenRouter sends these with HTTP 200 and
 * {@code finish_reason: "error"}), a connection cut mid-body, or a stream that ended without its end marker
 * or a finish reason. {@link #partialResponse()} holds what was received before the failure.
 */
public final class StreamException extends ProviderException {
  private final ChatResponse partialResponse;

  public StreamException(String providerId, String message, @Nullable String errorCode,
      ChatResponse partialResponse, @Nullable Throwable cause) {
    super(providerId, 0, message, false, null, errorCode, "", cause);
    this.partialResponse = partialResponse;
  }

  /** Everything received before the failure: text so far, tool calls so far, usage if any. */
  public ChatResponse partialResponse() {
    return partialResponse;
  }

  /** The text received before the failure. */
  public String partialText() {
    return partialResponse.text();
  }
}
