package dev.aperture;

import java.util.Objects;

/**
 * A function call the model asked for.
 *
 * @param arguments the arguments exactly as the model wrote them: a JSON text, not always valid JSON
 */
public record ToolCall(String id, String type, String name, String arguments) {
  public ToolCall {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(arguments, "arguments == null");
  }

  public static ToolCall function(String id, String name, String arguments) {
    return new ToolCall(id, "function", name, arguments);
  }
}
