package dev.aperture;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code pre_request} hook's answer: Aperture's {@code GuardrailResponse}. {@code allow} lets the call
 * go on; {@code block} stops it with a status code (default 403) and message; {@code modify} replaces the
 * whole request body with {@link #requestBody()} (what the next hook and the provider see).
 */
public final class GuardrailResponse {
  /** The hook's verdict. */
  public enum Action {
    ALLOW,
    BLOCK,
    MODIFY
  }

  private static final GuardrailResponse ALLOW = new GuardrailResponse(Action.ALLOW, 0, "", null);

  private final Action action;
  private final int statusCode;
  private final String message;
  private final @Nullable Map<String, @Nullable Object> requestBody;

  private GuardrailResponse(Action action, int statusCode, String message,
      @Nullable Map<String, @Nullable Object> requestBody) {
    this.action = action;
    this.statusCode = statusCode;
    this.message = message;
    this.requestBody = requestBody;
  }

  public static GuardrailResponse allow() {
    return ALLOW;
  }

  /** Blocks with HTTP 403. */
  public static GuardrailResponse block(String message) {
    return block(403, message);
  }

  public static GuardrailResponse block(int statusCode, String message) {
    if (statusCode < 100 || statusCode > 599) throw new IllegalArgumentException("statusCode " + statusCode);
    return new GuardrailResponse(Action.BLOCK, statusCode, Objects.requireNonNull(message, "message == null"), null);
  }

  /** Replaces the whole request body. */
  public static GuardrailResponse modify(Map<String, @Nullable Object> requestBody) {
    return new GuardrailResponse(Action.MODIFY, 0, "",
        JsonValues.copyOfObject(Objects.requireNonNull(requestBody, "requestBody == null"), "request_body"));
  }

  public Action action() {
    return action;
  }

  /** The block's HTTP status; 0 unless {@link Action#BLOCK}. */
  public int statusCode() {
    return statusCode;
  }

  /** The block's message; empty unless {@link Action#BLOCK}. */
  public String message() {
    return message;
  }

  /** The new body; null unless {@link Action#MODIFY}. */
  public @Nullable Map<String, @Nullable Object> requestBody() {
    return requestBody;
  }

  @Override
  public String toString() {
    return switch (action) {
      case ALLOW -> "GuardrailResponse{allow}";
      case BLOCK -> "GuardrailResponse{block " + statusCode + "}";
      case MODIFY -> "GuardrailResponse{modify}";
    };
  }
}
