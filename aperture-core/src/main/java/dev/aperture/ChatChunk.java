package dev.aperture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One streamed piece of a chat completion ({@code chat.completion.chunk}). A final chunk may have no
 * choices and carry only {@link #usage()}.
 *
 * <p>Immutable, like its {@link Choice}, {@link Delta} and {@link ToolCallDelta}: each has a
 * {@code builder()} and {@code newBuilder()}. {@link #toString()} never shows content.
 */
public final class ChatChunk {
  private final String id;
  private final String model;
  private final @Nullable String servedBy;
  private final long created;
  private final List<Choice> choices;
  private final @Nullable Usage usage;
  private final Map<String, @Nullable Object> extra;

  private ChatChunk(Builder builder) {
    this.id = Objects.requireNonNull(builder.id, "id == null");
    this.model = Objects.requireNonNull(builder.model, "model == null");
    this.servedBy = builder.servedBy;
    this.created = builder.created;
    this.choices = List.copyOf(builder.choices);
    this.usage = builder.usage;
    this.extra = JsonValues.copyOfObject(builder.extra, "chunk");
  }

  /** A builder with no id or model yet (both required), no choices and no usage. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this chunk's values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** The completion id, the same on every chunk of one stream ({@code gen-...} on OpenRouter). */
  public String id() {
    return id;
  }

  /** The model that is answering. */
  public String model() {
    return model;
  }

  /** The upstream serving the stream as the provider reports it (OpenRouter's {@code provider}), or null. */
  public @Nullable String servedBy() {
    return servedBy;
  }

  /** Seconds since the epoch, as the provider reported; 0 if absent. */
  public long created() {
    return created;
  }

  /** The choices' deltas; empty on a usage-only final chunk. */
  public List<Choice> choices() {
    return choices;
  }

  /** The usage, usually only on the final chunk; null otherwise. */
  public @Nullable Usage usage() {
    return usage;
  }

  /** Every other top-level field of the chunk as JSON-like values. */
  public Map<String, @Nullable Object> extra() {
    return extra;
  }

  /** The first choice's content delta, or empty. */
  public String text() {
    if (choices.isEmpty()) return "";
    String content = choices.get(0).delta().content();
    return content != null ? content : "";
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ChatChunk that
        && id.equals(that.id)
        && model.equals(that.model)
        && Objects.equals(servedBy, that.servedBy)
        && created == that.created
        && choices.equals(that.choices)
        && Objects.equals(usage, that.usage)
        && extra.equals(that.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, model, servedBy, created, choices, usage, extra);
  }

  /** Names the ids and counts, never the content. */
  @Override
  public String toString() {
    return "ChatChunk{id=" + id + ", model=" + model + ", choices=" + choices
        + (usage != null ? ", usage=" + usage : "") + "}";
  }

  /** Builds a {@link ChatChunk}. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String model;
    private @Nullable String servedBy;
    private long created;
    private final List<Choice> choices = new ArrayList<>();
    private @Nullable Usage usage;
    private Map<String, ? extends @Nullable Object> extra = Map.of();

    Builder() {
    }

    Builder(ChatChunk chunk) {
      this.id = chunk.id;
      this.model = chunk.model;
      this.servedBy = chunk.servedBy;
      this.created = chunk.created;
      this.choices.addAll(chunk.choices);
      this.usage = chunk.usage;
      this.extra = chunk.extra;
    }

    /** Sets the completion id (required). */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id == null");
      return this;
    }

    /** Sets the model (required). */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model == null");
      return this;
    }

    /** Sets the upstream that serves the stream, or null. */
    public Builder servedBy(@Nullable String servedBy) {
      this.servedBy = servedBy;
      return this;
    }

    /** Sets the creation time in seconds since the epoch; default 0. */
    public Builder created(long created) {
      this.created = created;
      return this;
    }

    /** Replaces the choices. */
    public Builder choices(List<Choice> choices) {
      this.choices.clear();
      for (Choice choice : choices) addChoice(choice);
      return this;
    }

    /** Appends a choice. */
    public Builder addChoice(Choice choice) {
      choices.add(Objects.requireNonNull(choice, "choice == null"));
      return this;
    }

    /** Sets the usage, or null. */
    public Builder usage(@Nullable Usage usage) {
      this.usage = usage;
      return this;
    }

    /** Sets the other top-level fields, as JSON-like values (copied). */
    public Builder extra(Map<String, ? extends @Nullable Object> extra) {
      this.extra = Objects.requireNonNull(extra, "extra == null");
      return this;
    }

    /** Builds the chunk; throws if the id or model is missing. */
    public ChatChunk build() {
      return new ChatChunk(this);
    }
  }

  /** One choice's delta within a chunk. */
  public static final class Choice {
    private final int index;
    private final Delta delta;
    private final @Nullable FinishReason finishReason;
    private final @Nullable String nativeFinishReason;
    private final Map<String, @Nullable Object> extra;

    private Choice(Builder builder) {
      this.index = builder.index;
      this.delta = builder.delta;
      this.finishReason = builder.finishReason;
      this.nativeFinishReason = builder.nativeFinishReason;
      this.extra = JsonValues.copyOfObject(builder.extra, "choice");
    }

    /** Choice {@code index} adding {@code delta}, with {@code finishReason} when it is the last. */
    public static Choice of(int index, Delta delta, @Nullable FinishReason finishReason) {
      return builder().index(index).delta(delta).finishReason(finishReason).build();
    }

    /** A builder for choice 0 with an empty delta. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this choice's values. */
    public Builder newBuilder() {
      return new Builder(this);
    }

    /** The choice's index, 0 for the first. */
    public int index() {
      return index;
    }

    /** What this chunk adds to the choice. */
    public Delta delta() {
      return delta;
    }

    /** Why the choice stopped, on its last chunk; null before. */
    public @Nullable FinishReason finishReason() {
      return finishReason;
    }

    /** The upstream model's own finish reason, as OpenRouter reports it; null if absent. */
    public @Nullable String nativeFinishReason() {
      return nativeFinishReason;
    }

    /** Every other field of the choice (such as {@code logprobs}) as JSON-like values. */
    public Map<String, @Nullable Object> extra() {
      return extra;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Choice that
          && index == that.index
          && delta.equals(that.delta)
          && Objects.equals(finishReason, that.finishReason)
          && Objects.equals(nativeFinishReason, that.nativeFinishReason)
          && extra.equals(that.extra);
    }

    @Override
    public int hashCode() {
      return Objects.hash(index, delta, finishReason, nativeFinishReason, extra);
    }

    @Override
    public String toString() {
      return "Choice{index=" + index + ", delta=" + delta
          + (finishReason != null ? ", finishReason=" + finishReason : "") + "}";
    }

    /** Builds a {@link Choice}. */
    public static final class Builder {
      private int index;
      private Delta delta = Delta.EMPTY;
      private @Nullable FinishReason finishReason;
      private @Nullable String nativeFinishReason;
      private Map<String, ? extends @Nullable Object> extra = Map.of();

      Builder() {
      }

      Builder(Choice choice) {
        this.index = choice.index;
        this.delta = choice.delta;
        this.finishReason = choice.finishReason;
        this.nativeFinishReason = choice.nativeFinishReason;
        this.extra = choice.extra;
      }

      /** Sets the index; default 0. */
      public Builder index(int index) {
        this.index = index;
        return this;
      }

      /** Sets the delta; default empty. */
      public Builder delta(Delta delta) {
        this.delta = Objects.requireNonNull(delta, "delta == null");
        return this;
      }

      /** Sets the finish reason, or null. */
      public Builder finishReason(@Nullable FinishReason finishReason) {
        this.finishReason = finishReason;
        return this;
      }

      /** Sets the upstream model's own finish reason, or null. */
      public Builder nativeFinishReason(@Nullable String nativeFinishReason) {
        this.nativeFinishReason = nativeFinishReason;
        return this;
      }

      /** Sets the other fields, as JSON-like values (copied). */
      public Builder extra(Map<String, ? extends @Nullable Object> extra) {
        this.extra = Objects.requireNonNull(extra, "extra == null");
        return this;
      }

      /** Builds the choice. */
      public Choice build() {
        return new Choice(this);
      }
    }
  }

  /** What one chunk adds to a choice; every field is optional. */
  public static final class Delta {
    /** A delta that adds nothing. */
    public static final Delta EMPTY = new Builder().build();

    private final @Nullable Role role;
    private final @Nullable String content;
    private final @Nullable String reasoning;
    private final List<ToolCallDelta> toolCalls;
    private final Map<String, @Nullable Object> extra;

    private Delta(Builder builder) {
      this.role = builder.role;
      this.content = builder.content;
      this.reasoning = builder.reasoning;
      this.toolCalls = List.copyOf(builder.toolCalls);
      this.extra = JsonValues.copyOfObject(builder.extra, "delta");
    }

    /** A delta that adds {@code content} to the text. */
    public static Delta ofContent(String content) {
      return builder().content(Objects.requireNonNull(content, "content == null")).build();
    }

    /** A builder for an empty delta. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this delta's values. */
    public Builder newBuilder() {
      return new Builder(this);
    }

    /** The role, usually only on the first chunk; null otherwise. */
    public @Nullable Role role() {
      return role;
    }

    /** The piece of text content, or null. */
    public @Nullable String content() {
      return content;
    }

    /** The piece of reasoning text, or null. */
    public @Nullable String reasoning() {
      return reasoning;
    }

    /** Pieces of tool calls; empty when none. */
    public List<ToolCallDelta> toolCalls() {
      return toolCalls;
    }

    /** Every other field of the delta (such as {@code refusal}) as JSON-like values. */
    public Map<String, @Nullable Object> extra() {
      return extra;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Delta that
          && Objects.equals(role, that.role)
          && Objects.equals(content, that.content)
          && Objects.equals(reasoning, that.reasoning)
          && toolCalls.equals(that.toolCalls)
          && extra.equals(that.extra);
    }

    @Override
    public int hashCode() {
      return Objects.hash(role, content, reasoning, toolCalls, extra);
    }

    /** Names the shape, never the text. */
    @Override
    public String toString() {
      StringBuilder result = new StringBuilder("Delta{");
      if (role != null) result.append("role=").append(role).append(' ');
      if (content != null) result.append("content=").append(content.length()).append(" chars ");
      if (reasoning != null) result.append("reasoning=").append(reasoning.length()).append(" chars ");
      if (!toolCalls.isEmpty()) result.append("toolCalls=").append(toolCalls.size()).append(' ');
      if (result.charAt(result.length() - 1) == ' ') result.setLength(result.length() - 1);
      return result.append('}').toString();
    }

    /** Builds a {@link Delta}. */
    public static final class Builder {
      private @Nullable Role role;
      private @Nullable String content;
      private @Nullable String reasoning;
      private final List<ToolCallDelta> toolCalls = new ArrayList<>();
      private Map<String, ? extends @Nullable Object> extra = Map.of();

      Builder() {
      }

      Builder(Delta delta) {
        this.role = delta.role;
        this.content = delta.content;
        this.reasoning = delta.reasoning;
        this.toolCalls.addAll(delta.toolCalls);
        this.extra = delta.extra;
      }

      /** Sets the role, or null. */
      public Builder role(@Nullable Role role) {
        this.role = role;
        return this;
      }

      /** Sets the text piece, or null. */
      public Builder content(@Nullable String content) {
        this.content = content;
        return this;
      }

      /** Sets the reasoning piece, or null. */
      public Builder reasoning(@Nullable String reasoning) {
        this.reasoning = reasoning;
        return this;
      }

      /** Replaces the tool-call pieces. */
      public Builder toolCalls(List<ToolCallDelta> toolCalls) {
        this.toolCalls.clear();
        for (ToolCallDelta piece : toolCalls) addToolCall(piece);
        return this;
      }

      /** Appends a tool-call piece. */
      public Builder addToolCall(ToolCallDelta toolCall) {
        toolCalls.add(Objects.requireNonNull(toolCall, "toolCall == null"));
        return this;
      }

      /** Sets the other fields, as JSON-like values (copied). */
      public Builder extra(Map<String, ? extends @Nullable Object> extra) {
        this.extra = Objects.requireNonNull(extra, "extra == null");
        return this;
      }

      /** Builds the delta. */
      public Delta build() {
        return new Delta(this);
      }
    }
  }

  /**
   * A piece of a tool call. Pieces with the same {@link #index()} belong to one call: the first usually
   * carries the id and name, later ones append to the arguments.
   */
  public static final class ToolCallDelta {
    private final int index;
    private final @Nullable String id;
    private final @Nullable String type;
    private final @Nullable String name;
    private final @Nullable String arguments;
    private final Map<String, @Nullable Object> extra;

    private ToolCallDelta(Builder builder) {
      this.index = builder.index;
      this.id = builder.id;
      this.type = builder.type;
      this.name = builder.name;
      this.arguments = builder.arguments;
      this.extra = JsonValues.copyOfObject(builder.extra, "tool_call");
    }

    /** A builder for a piece of call 0 with no fields yet. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding this piece's values. */
    public Builder newBuilder() {
      return new Builder(this);
    }

    /** Which call of the choice this piece belongs to. */
    public int index() {
      return index;
    }

    /** The call's id, usually only on its first piece. */
    public @Nullable String id() {
      return id;
    }

    /** The call's type ({@code function}), usually only on its first piece. */
    public @Nullable String type() {
      return type;
    }

    /** The function's name, usually only on its first piece. */
    public @Nullable String name() {
      return name;
    }

    /** The next piece of the arguments' text, or null. */
    public @Nullable String arguments() {
      return arguments;
    }

    /** Other fields of the piece, as in {@link dev.aperture.ToolCall#extra()}. */
    public Map<String, @Nullable Object> extra() {
      return extra;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof ToolCallDelta that
          && index == that.index
          && Objects.equals(id, that.id)
          && Objects.equals(type, that.type)
          && Objects.equals(name, that.name)
          && Objects.equals(arguments, that.arguments)
          && extra.equals(that.extra);
    }

    @Override
    public int hashCode() {
      return Objects.hash(index, id, type, name, arguments, extra);
    }

    /** Names the call, never its arguments. */
    @Override
    public String toString() {
      return "ToolCallDelta{index=" + index + (id != null ? ", id=" + id : "")
          + (name != null ? ", name=" + name : "")
          + (arguments != null ? ", arguments=" + arguments.length() + " chars" : "") + "}";
    }

    /** Builds a {@link ToolCallDelta}. */
    public static final class Builder {
      private int index;
      private @Nullable String id;
      private @Nullable String type;
      private @Nullable String name;
      private @Nullable String arguments;
      private Map<String, ? extends @Nullable Object> extra = Map.of();

      Builder() {
      }

      Builder(ToolCallDelta piece) {
        this.index = piece.index;
        this.id = piece.id;
        this.type = piece.type;
        this.name = piece.name;
        this.arguments = piece.arguments;
        this.extra = piece.extra;
      }

      /** Sets which call this piece belongs to; default 0. */
      public Builder index(int index) {
        this.index = index;
        return this;
      }

      /** Sets the call's id, or null. */
      public Builder id(@Nullable String id) {
        this.id = id;
        return this;
      }

      /** Sets the call's type, or null. */
      public Builder type(@Nullable String type) {
        this.type = type;
        return this;
      }

      /** Sets the function's name, or null. */
      public Builder name(@Nullable String name) {
        this.name = name;
        return this;
      }

      /** Sets the piece of arguments, or null. */
      public Builder arguments(@Nullable String arguments) {
        this.arguments = arguments;
        return this;
      }

      /** Sets the other fields, as JSON-like values (copied). */
      public Builder extra(Map<String, ? extends @Nullable Object> extra) {
        this.extra = Objects.requireNonNull(extra, "extra == null");
        return this;
      }

      /** Builds the piece. */
      public ToolCallDelta build() {
        return new ToolCallDelta(this);
      }
    }
  }
}
