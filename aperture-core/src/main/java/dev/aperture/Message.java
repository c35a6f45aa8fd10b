package dev.aperture;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One chat message. Content is either plain text ({@link #content()}) or an array of parts
 * ({@link #parts()}, non-empty exactly when the wire form is an array).
 *
 * @param content the text content; null when the content is an array of parts or absent (an assistant
 *     message with only tool calls)
 * @param parts content parts when the content is an array, else empty
 * @param name the optional participant name
 * @param toolCalls tool calls of an assistant message
 * @param toolCallId for a {@link Role#TOOL} message, the call it answers
 * @param reasoning the reasoning text some models return beside the content
 * @param extra every other field of the message, as JSON-like values, kept for the wire
 */
public record Message(
    Role role,
    @Nullable String content,
    List<ContentPart> parts,
    @Nullable String name,
    List<ToolCall> toolCalls,
    @Nullable String toolCallId,
    @Nullable String reasoning,
    Map<String, @Nullable Object> extra) {

  public Message {
    Objects.requireNonNull(role, "role == null");
    parts = List.copyOf(parts);
    toolCalls = List.copyOf(toolCalls);
    extra = JsonValues.copyOfObject(extra, "extra");
    if (content != null && !parts.isEmpty()) {
      throw new IllegalArgumentException("a message has either text content or content parts, not both");
    }
  }

  public static Message system(String text) {
    return of(Role.SYSTEM, text);
  }

  public static Message user(String text) {
    return of(Role.USER, text);
  }

  public static Message user(List<ContentPart> parts) {
    return new Message(Role.USER, null, parts, null, List.of(), null, null, Map.of());
  }

  public static Message assistant(String text) {
    return of(Role.ASSISTANT, text);
  }

  /** An assistant message that made tool calls, for sending the conversation back with their results. */
  public static Message assistant(@Nullable String text, List<ToolCall> toolCalls) {
    return new Message(Role.ASSISTANT, text, List.of(), null, toolCalls, null, null, Map.of());
  }

  /** A tool result answering the call with {@code toolCallId}. */
  public static Message tool(String toolCallId, String result) {
    return new Message(Role.TOOL, result, List.of(), null, List.of(), toolCallId, null, Map.of());
  }

  public static Message of(Role role, String text) {
    return new Message(role, text, List.of(), null, List.of(), null, null, Map.of());
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
}
