package dev.aperture;

import java.util.Objects;

/**
 * Why a choice stopped. An open value, not an enum: providers send strings beyond the well-known ones, and
 * those are kept as they came.
 */
public record FinishReason(String value) {
  public static final FinishReason STOP = new FinishReason("stop");
  public static final FinishReason LENGTH = new FinishReason("length");
  public static final FinishReason TOOL_CALLS = new FinishReason("tool_calls");
  public static final FinishReason CONTENT_FILTER = new FinishReason("content_filter");
  public static final FinishReason ERROR = new FinishReason("error");

  public FinishReason {
    Objects.requireNonNull(value, "value == null");
  }

  public static FinishReason of(String value) {
    return switch (value) {
      case "stop" -> STOP;
      case "length" -> LENGTH;
      case "tool_calls" -> TOOL_CALLS;
      case "content_filter" -> CONTENT_FILTER;
      case "error" -> ERROR;
      default -> new FinishReason(value);
    };
  }

  @Override
  public String toString() {
    return value;
  }
}
