package dev.aperture.internal.hooks;

import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ToolCall;
import dev.aperture.internal.wire.OpenAiChatJson;
import dev.aperture.internal.wire.WireFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * Every conversion between the SDK's values and the JSON hooks see, in one place: this is the only class
 * of the hooks package that uses the wire codec. Bodies are JSON-like values (Map, List, String, Long or
 * BigDecimal, Boolean, null), read without losing a digit.
 */
public final class HookBodies {
  private HookBodies() {
  }

  /** The chat-completions body the provider is sent for {@code request}, as JSON-like values. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> requestBody(ChatRequest request, boolean stream) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeRequest(request, stream, buffer);
      return (Map<String, @Nullable Object>) OpenAiChatJson.readValue(buffer);
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does no I/O.
    }
  }

  /**
   * The request a hook's replacement {@code body} describes, keeping what is not part of the body
   * ({@link ChatRequest#headers()}, {@link ChatRequest#timeout()}) from {@code original}.
   *
   * @throws WireFormatException if {@code body} is not a chat-completions request; the message names
   *     the JSON path, never the content
   */
  public static ChatRequest chatRequest(Map<String, ? extends @Nullable Object> body, ChatRequest original) {
    ChatRequest parsed = parseChatRequest(body);
    ChatRequest.Builder builder = parsed.newBuilder();
    original.headers().forEach(builder::header);
    builder.timeout(original.timeout());
    return builder.build();
  }

  /**
   * Checks that {@code body} is a chat-completions request; for {@link HookContext.Builder#bodyCheck}.
   *
   * @throws WireFormatException if it is not
   */
  public static void checkChatRequest(Map<String, ? extends @Nullable Object> body) {
    parseChatRequest(body);
  }

  private static ChatRequest parseChatRequest(Map<String, ? extends @Nullable Object> body) {
    try {
      return OpenAiChatJson.readRequest(json(body)).request();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The response body a client would have received, as JSON-like values: {@code response_body}. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> responseBody(ChatResponse response) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeResponse(response, buffer);
      return (Map<String, @Nullable Object>) OpenAiChatJson.readValue(buffer);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** One stream chunk as the data of its server-sent event: an element of {@code raw_responses}. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> chunk(ChatChunk chunk) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeChunk(chunk, buffer);
      return (Map<String, @Nullable Object>) OpenAiChatJson.readValue(buffer);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The response's tool calls as Aperture's {@code ToolUse}: the function name, and its arguments parsed
   * as JSON ({@code params}); arguments that are not valid JSON are passed on as the string the model
   * wrote, and empty arguments as an empty object.
   */
  public static List<ToolUse> toolUses(ChatResponse response) {
    List<ToolCall> calls = response.toolCalls();
    if (calls.isEmpty()) return List.of();
    List<ToolUse> result = new ArrayList<>(calls.size());
    for (ToolCall call : calls) result.add(new ToolUse(call.name(), params(call.arguments())));
    return List.copyOf(result);
  }

  private static @Nullable Object params(String arguments) {
    if (arguments.isBlank()) return Map.of();
    try {
      return parseJson(arguments.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (WireFormatException e) {
      return arguments;
    }
  }

  /** {@code value} as UTF-8 JSON. */
  public static byte[] toJson(@Nullable Object value) {
    return json(value).readByteArray();
  }

  /**
   * Parses one JSON document.
   *
   * @throws dev.aperture.ApertureException (a {@link WireFormatException}) if it is not valid JSON; the
   *     message says where, never what
   */
  public static @Nullable Object parseJson(byte[] json) {
    try {
      return OpenAiChatJson.readValue(new Buffer().write(json));
    } catch (WireFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Buffer json(@Nullable Object value) {
    Buffer buffer = new Buffer();
    try {
      OpenAiChatJson.writeValue(value, buffer);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return buffer;
  }
}
