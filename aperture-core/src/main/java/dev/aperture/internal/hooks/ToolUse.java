package dev.aperture.internal.hooks;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One tool invocation from the model's response, as hooks receive it in {@code tool_calls}: Aperture's
 * {@code ToolUse} {@code {"name", "params"}}.
 *
 * @param params the tool's input: the parsed arguments (normally an object)
 */
public record ToolUse(String name, @Nullable Object params) {
  public ToolUse {
    Objects.requireNonNull(name, "name == null");
  }
}
