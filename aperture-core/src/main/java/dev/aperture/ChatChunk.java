package dev.aperture;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One streamed piece of a chat completion ({@code chat.completion.chunk}). A final chunk may have no
 * choices and carry only {@link #usage()}.
 *
 * @param extra every other top-level field of the chunk as JSON-like values
 */
public record ChatChunk(
    String id,
    String model,
    @Nullable String servedBy,
    long created,
    List<ChatChunk.Choice> choices,
    @Nullable Usage usage,
    Map<String, @Nullable Object> extra) {

  public ChatChunk {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(model, "model == null");
    choices = List.copyOf(choices);
    extra = JsonValues.copyOfObject(extra, "chunk");
  }

  /** The first choice's content delta, or empty. */
  public String text() {
    if (choices.isEmpty()) return "";
    String content = choices.get(0).delta().content();
    return content != null ? content : "";
  }

  /**
   * One choice's delta.
   *
   * @param extra every other field of the choice (such as {@code logprobs}) as JSON-like values
   */
  public record Choice(
      int index,
      Delta delta,
      @Nullable FinishReason finishReason,
      @Nullable String nativeFinishReason,
      Map<String, @Nullable Object> extra) {
    public Choice {
      Objects.requireNonNull(delta, "delta == null");
      extra = JsonValues.copyOfObject(extra, "choice");
    }

    public Choice(int index, Delta delta, @Nullable FinishReason finishReason,
        @Nullable String nativeFinishReason) {
      this(index, delta, finishReason, nativeFinishReason, Map.of());
    }
  }

  /**
   * What one chunk adds to a choice; every field is optional.
   *
   * @param extra every other field of the delta (such as {@code refusal} or {@code reasoning_details})
   *     as JSON-like values
   */
  public record Delta(
      @Nullable Role role,
      @Nullable String content,
      @Nullable String reasoning,
      List<ToolCallDelta> toolCalls,
      Map<String, @Nullable Object> extra) {
    public Delta {
      toolCalls = List.copyOf(toolCalls);
      extra = JsonValues.copyOfObject(extra, "delta");
    }

    public Delta(@Nullable Role role, @Nullable String content, @Nullable String reasoning,
        List<ToolCallDelta> toolCalls) {
      this(role, content, reasoning, toolCalls, Map.of());
    }

    public static Delta ofContent(String content) {
      return new Delta(null, content, null, List.of());
    }
  }

  /**
   * A piece of a tool call. Pieces with the same {@code index} belong to one call: the first usually
   * carries the id and name, later ones append to the arguments.
   */
  public record ToolCallDelta(
      int index,
      @Nullable String id,
      @Nullable String type,
      @Nullable String name,
      @Nullable String arguments,
      Map<String, @Nullable Object> extra) {
    /** {@code extra}: other fields of the piece, as in {@link dev.aperture.ToolCall#extra()}. */
    public ToolCallDelta {
      extra = JsonValues.copyOfObject(extra, "tool_call");
    }

    public ToolCallDelta(int index, @Nullable String id, @Nullable String type, @Nullable String name,
        @Nullable String arguments) {
      this(index, id, type, name, arguments, Map.of());
    }
  }
}
