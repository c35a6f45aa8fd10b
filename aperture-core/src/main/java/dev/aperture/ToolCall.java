package dev.aperture;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function call the model asked for. Immutable; build one with {@link #function} or {@link #builder()},
 * change a copy with {@link #newBuilder()}.
 */
public final class ToolCall {
  private final String id;
  private final String type;
  private final String name;
  private final String arguments;
  private final Map<String, @Nullable Object> extra;

  private ToolCall(Builder builder) {
    this.id = Objects.requireNonNull(builder.id, "id == null");
    this.type = Objects.requireNonNull(builder.type, "type == null");
    this.name = Objects.requireNonNull(builder.name, "name == null");
    this.arguments = Objects.requireNonNull(builder.arguments, "arguments == null");
    this.extra = JsonValues.copyOfObject(builder.extra, "tool_call");
  }

  /** A {@code function} call with the given id, function name and arguments (a JSON text). */
  public static ToolCall function(String id, String name, String arguments) {
    return builder().id(id).name(name).arguments(arguments).build();
  }

  /** A builder whose type is {@code function} and whose arguments are empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this call's values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** The call's id, which a tool result names in {@code tool_call_id}. */
  public String id() {
    return id;
  }

  /** The call's type, {@code function} in practice. */
  public String type() {
    return type;
  }

  /** The function's name. */
  public String name() {
    return name;
  }

  /** The arguments exactly as the model wrote them: a JSON text, not always valid JSON. */
  public String arguments() {
    return arguments;
  }

  /**
   * Every other field of the call as JSON-like values (provider-specific ones such as signatures), kept so
   * the call can be sent back unchanged; unknown fields of its {@code function} object are under the key
   * {@code function}, as a map.
   */
  public Map<String, @Nullable Object> extra() {
    return extra;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ToolCall that
        && id.equals(that.id)
        && type.equals(that.type)
        && name.equals(that.name)
        && arguments.equals(that.arguments)
        && extra.equals(that.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, name, arguments, extra);
  }

  /** Names the call, never its arguments (they may quote the conversation). */
  @Override
  public String toString() {
    return "ToolCall{id=" + id + ", type=" + type + ", name=" + name + ", arguments="
        + arguments.length() + " chars}";
  }

  /** Builds a {@link ToolCall}. */
  public static final class Builder {
    private @Nullable String id;
    private String type = "function";
    private @Nullable String name;
    private String arguments = "";
    private Map<String, ? extends @Nullable Object> extra = Map.of();

    Builder() {
    }

    Builder(ToolCall call) {
      this.id = call.id;
      this.type = call.type;
      this.name = call.name;
      this.arguments = call.arguments;
      this.extra = call.extra;
    }

    /** Sets the call's id (required). */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id == null");
      return this;
    }

    /** Sets the type; default {@code function}. */
    public Builder type(String type) {
      this.type = Objects.requireNonNull(type, "type == null");
      return this;
    }

    /** Sets the function's name (required). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
      return this;
    }

    /** Sets the arguments, a JSON text; default empty. */
    public Builder arguments(String arguments) {
      this.arguments = Objects.requireNonNull(arguments, "arguments == null");
      return this;
    }

    /** Sets the other fields, as JSON-like values (copied). */
    public Builder extra(Map<String, ? extends @Nullable Object> extra) {
      this.extra = Objects.requireNonNull(extra, "extra == null");
      return this;
    }

    /** Builds the call; throws if the id or name is missing. */
    public ToolCall build() {
      return new ToolCall(this);
    }
  }
}
