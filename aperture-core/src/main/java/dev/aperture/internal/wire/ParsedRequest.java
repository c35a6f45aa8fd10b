package dev.aperture.internal.wire;

import dev.aperture.ChatRequest;
import java.util.Objects;

/**
 * A chat-completions request body as a client sent it: the request, and whether it asked to stream.
 */
public record ParsedRequest(ChatRequest request, boolean stream) {
  public ParsedRequest {
    Objects.requireNonNull(request, "request == null");
  }
}
