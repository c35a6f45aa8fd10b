package dev.aperture.opentelemetry.internal;

import dev.aperture.Choice;
import dev.aperture.ContentPart;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.ToolCall;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes messages in the shape of the GenAI conventions' input and output messages JSON schemas, as the
 * JSON strings that {@code gen_ai.input.messages} and {@code gen_ai.output.messages} carry on spans. Only
 * used when the application opted in to content capture.
 */
public final class ContentJson {
  private ContentJson() {
  }

  /** The chat history as sent, in order: {@code [{"role":"user","parts":[{"type":"text",...}]}]}. */
  public static String inputMessages(List<Message> messages) {
    StringBuilder out = new StringBuilder(64 * messages.size() + 2);
    out.append('[');
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) out.append(',');
      writeMessage(out, messages.get(i), null);
    }
    return out.append(']').toString();
  }

  /** One output message per choice, each with its {@code finish_reason}. */
  public static String outputMessages(List<Choice> choices) {
    StringBuilder out = new StringBuilder(64 * choices.size() + 2);
    out.append('[');
    for (int i = 0; i < choices.size(); i++) {
      if (i > 0) out.append(',');
      Choice choice = choices.get(i);
      writeMessage(out, choice.message(), choice.finishReason());
    }
    return out.append(']').toString();
  }

  private static void writeMessage(StringBuilder out, Message message, @Nullable FinishReason finishReason) {
    out.append("{\"role\":");
    string(out, message.role().value());
    out.append(",\"parts\":[");
    boolean first = true;
    if (message.reasoning() != null) {
      first = part(out, first, "reasoning");
      out.append(",\"content\":");
      string(out, message.reasoning());
      out.append('}');
    }
    if (message.toolCallId() != null) {
      // A tool message is the response to one call.
      first = part(out, first, "tool_call_response");
      out.append(",\"id\":");
      string(out, message.toolCallId());
      out.append(",\"response\":");
      string(out, message.text());
      out.append('}');
    } else if (message.content() != null) {
      first = part(out, first, "text");
      out.append(",\"content\":");
      string(out, message.content());
      out.append('}');
    } else {
      for (ContentPart contentPart : message.parts()) {
        first = writePart(out, first, contentPart);
      }
    }
    for (ToolCall call : message.toolCalls()) {
      first = part(out, first, "tool_call");
      out.append(",\"id\":");
      string(out, call.id());
      out.append(",\"name\":");
      string(out, call.name());
      // The arguments as the model wrote them: a JSON text, kept as a string rather than parsed.
      out.append(",\"arguments\":");
      string(out, call.arguments());
      out.append('}');
    }
    out.append(']');
    if (message.name() != null) {
      out.append(",\"name\":");
      string(out, message.name());
    }
    if (finishReason != null) {
      out.append(",\"finish_reason\":");
      // The schema's one spelling that differs from the chat-completions wire.
      string(out, finishReason.equals(FinishReason.TOOL_CALLS) ? "tool_call" : finishReason.value());
    }
    out.append('}');
  }

  private static boolean writePart(StringBuilder out, boolean first, ContentPart contentPart) {
    String text = contentPart.text();
    if (text != null) {
      part(out, first, "text");
      out.append(",\"content\":");
      string(out, text);
    } else if ("image_url".equals(contentPart.type())
        && contentPart.fields().get("image_url") instanceof Map<?, ?> image
        && image.get("url") instanceof String url) {
      part(out, first, "uri");
      out.append(",\"modality\":\"image\",\"uri\":");
      string(out, url);
    } else {
      // A part the schema has no shape for: its type only (its fields may be large binary data).
      part(out, first, contentPart.type());
    }
    out.append('}');
    return false;
  }

  /** Opens a part object, {@code {"type":"..."}} without its closing brace. */
  private static boolean part(StringBuilder out, boolean first, String type) {
    if (!first) out.append(',');
    out.append("{\"type\":");
    string(out, type);
    return false;
  }

  static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
