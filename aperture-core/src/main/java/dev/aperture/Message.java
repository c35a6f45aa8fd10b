package dev.aperture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One chat message. Content is either plain text ({@link #content()}) or an array of parts
 * ({@link #parts()}, non-empty exactly when the wire form is an array).
 *
 * <p>Immutable; make one with the factories ({@link #user(String)}, {@link #tool}, ...) or
 * {@link #builder(Role)}, and change a copy with {@link #newBuilder()}. {@link #toString()} never shows
 * the text.
 */
public final class Message {
  private final Role role;
  private final @Nullable String content;
  private final List<ContentPart> parts;
  private final @Nullable String name;
  private final List<ToolCall> toolCalls;
  private final @Nullable String toolCallId;
  private final @Nullable String reasoning;
  private final Map<String, @Nullable Object> extra;

  private Message(Builder builder) {
    this.role = Objects.requireNonNull(builder.role, "role == null");
    this.content = builder.content;
    this.parts = List.copyOf(builder.parts);
    this.name = builder.name;
    this.toolCalls = List.copyOf(builder.toolCalls);
    this.toolCallId = builder.toolCallId;
    this.reasoning = builder.reasoning;
    this.extra = JsonValues.copyOfObject(builder.extra, "extra");
    if (content != null && !parts.isEmpty()) {
      throw new IllegalArgumentException("a message has either text content or content parts, not both");
    }
  }

  /** A system message. */
  public static Message system(String text) {
    return of(Role.SYSTEM, text);
  }

  /** A user message with text content. */
  public static Message user(String text) {
    return of(Role.USER, text);
  }

  /** A user message whose content is an array of parts (text, images, ...). */
  public static Message user(List<ContentPart> parts) {
    return builder(Role.USER).parts(parts).build();
  }

  /** An assistant message with text content. */
  public static Message assistant(String text) {
    return of(Role.ASSISTANT, text);
  }

  /** An assistant message that made tool calls, for sending the conversation back with their results. */
  public static Message assistant(@Nullable String text, List<ToolCall> toolCalls) {
    return builder(Role.ASSISTANT).content(text).toolCalls(toolCalls).build();
  }

  /** A tool result answering the call with {@code toolCallId}. */
  public static Message tool(String toolCallId, String result) {
    return builder(Role.TOOL).content(result).toolCallId(toolCallId).build();
  }

  /** A message of {@code role} with text content. */
  public static Message of(Role role, String text) {
    return builder(role).content(Objects.requireNonNull(text, "text == null")).build();
  }

  /** A builder for a message of {@code role}, with no content yet. */
  public static Builder builder(Role role) {
    return new Builder().role(role);
  }

  /** A builder holding this message's values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Who wrote the message. */
  public Role role() {
    return role;
  }

  /**
   * The text content; null when the content is an array of parts or absent (an assistant message with
   * only tool calls).
   */
  public @Nullable String content() {
    return content;
  }

  /** Content parts when the content is an array, else empty. */
  public List<ContentPart> parts() {
    return parts;
  }

  /** The optional participant name. */
  public @Nullable String name() {
    return name;
  }

  /** Tool calls of an assistant message; empty otherwise. */
  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  /** For a {@link Role#TOOL} message, the call it answers. */
  public @Nullable String toolCallId() {
    return toolCallId;
  }

  /** The reasoning text some models return beside the content, or null. */
  public @Nullable String reasoning() {
    return reasoning;
  }

  /** Every other field of the message, as JSON-like values, kept for the wire. */
  public Map<String, @Nullable Object> extra() {
    return extra;
  }

  /** The text of this message: its content, or its text parts joined; empty if it has none. */
  public String text() {
    if (content != null) return content;
    StringBuilder result = new StringBuilder();
    for (ContentPart part : parts) {
      String text = part.text();
      if (text != null) result.append(text);
    }
    return result.toString();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Message that
        && role.equals(that.role)
        && Objects.equals(content, that.content)
        && parts.equals(that.parts)
        && Objects.equals(name, that.name)
        && toolCalls.equals(that.toolCalls)
        && Objects.equals(toolCallId, that.toolCallId)
        && Objects.equals(reasoning, that.reasoning)
        && extra.equals(that.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(role, content, parts, name, toolCalls, toolCallId, reasoning, extra);
  }

  /** Names the role and the shape, never the text (it may be personal data). */
  @Override
  public String toString() {
    StringBuilder result = new StringBuilder("Message{role=").append(role.value());
    if (content != null) result.append(", content=").append(content.length()).append(" chars");
    if (!parts.isEmpty()) result.append(", parts=").append(parts.size());
    if (!toolCalls.isEmpty()) result.append(", toolCalls=").append(toolCalls.size());
    if (toolCallId != null) result.append(", toolCallId=").append(toolCallId);
    if (reasoning != null) result.append(", reasoning=").append(reasoning.length()).append(" chars");
    return result.append('}').toString();
  }

  /** Builds a {@link Message}. */
  public static final class Builder {
    private @Nullable Role role;
    private @Nullable String content;
    private final List<ContentPart> parts = new ArrayList<>();
    private @Nullable String name;
    private final List<ToolCall> toolCalls = new ArrayList<>();
    private @Nullable String toolCallId;
    private @Nullable String reasoning;
    private Map<String, ? extends @Nullable Object> extra = Map.of();

    Builder() {
    }

    Builder(Message message) {
      this.role = message.role;
      this.content = message.content;
      this.parts.addAll(message.parts);
      this.name = message.name;
      this.toolCalls.addAll(message.toolCalls);
      this.toolCallId = message.toolCallId;
      this.reasoning = message.reasoning;
      this.extra = message.extra;
    }

    /** Sets the role (required). */
    public Builder role(Role role) {
      this.role = Objects.requireNonNull(role, "role == null");
      return this;
    }

    /** Sets the text content, or null for none; a message has text or parts, not both. */
    public Builder content(@Nullable String content) {
      this.content = content;
      return this;
    }

    /** Replaces the content parts. */
    public Builder parts(List<ContentPart> parts) {
      this.parts.clear();
      for (ContentPart part : parts) addPart(part);
      return this;
    }

    /** Appends a content part. */
    public Builder addPart(ContentPart part) {
      parts.add(Objects.requireNonNull(part, "part == null"));
      return this;
    }

    /** Sets the participant name, or null. */
    public Builder name(@Nullable String name) {
      this.name = name;
      return this;
    }

    /** Replaces the tool calls. */
    public Builder toolCalls(List<ToolCall> toolCalls) {
      this.toolCalls.clear();
      for (ToolCall call : toolCalls) addToolCall(call);
      return this;
    }

    /** Appends a tool call. */
    public Builder addToolCall(ToolCall toolCall) {
      toolCalls.add(Objects.requireNonNull(toolCall, "toolCall == null"));
      return this;
    }

    /** Sets the id of the tool call a {@link Role#TOOL} message answers, or null. */
    public Builder toolCallId(@Nullable String toolCallId) {
      this.toolCallId = toolCallId;
      return this;
    }

    /** Sets the reasoning text, or null. */
    public Builder reasoning(@Nullable String reasoning) {
      this.reasoning = reasoning;
      return this;
    }

    /** Sets the other fields, as JSON-like values (copied). */
    public Builder extra(Map<String, ? extends @Nullable Object> extra) {
      this.extra = Objects.requireNonNull(extra, "extra == null");
      return this;
    }

    /** Builds the message; throws if it has both text content and parts. */
    public Message build() {
      return new Message(this);
    }
  }
}
