package dev.aperture;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function call the model asked for.
 *
 * @param arguments the arguments exactly as the model wrote them: a JSON text, not always valid JSON
 * @param extra every other field of the call as JSON-like values (provider-specific ones such as
 *     signatures), kept so the call can be sent back unchanged; unknown fields of its {@code function}
 *     object are under the key {@code function}, as a map
 */
public record ToolCall(String id, String type, String name, String arguments,
    Map<String, @Nullable Object> extra) {
  public ToolCall {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(arguments, "arguments == null");
    extra = JsonValues.copyOfObject(extra, "tool_call");
  }

  public ToolCall(String id, String type, String name, String arguments) {
    this(id, type, name, arguments, Map.of());
  }

  public static ToolCall function(String id, String name, String arguments) {
    return new ToolCall(id, "function", name, arguments);
  }
}
