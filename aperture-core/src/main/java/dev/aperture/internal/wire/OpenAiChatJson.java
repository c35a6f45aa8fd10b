package dev.aperture.internal.wire;

import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Choice;
import dev.aperture.ContentPart;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Role;
import dev.aperture.ToolCall;
import dev.aperture.Usage;
import dev.aperture.internal.FrozenJson;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the OpenAI chat-completions JSON: requests, responses and stream chunks. Streaming
 * readers and writers over Okio with no reflection; typed fields go straight into the value types, and
 * every other field is kept (numbers as Long or BigDecimal, so no digit is lost) in their
 * {@code parameters} / {@code extra} maps and written back unchanged.
 *
 * <p>Malformed or ill-typed input throws {@link WireFormatException} naming the JSON path; an
 * {@link IOException} means the source or sink itself failed.
 */
public final class OpenAiChatJson {
  private static final JsonReader.Options REQUEST_NAMES = JsonReader.Options.of(
      "model", "messages", "stream", "temperature", "top_p", "max_tokens", "stop", "seed");
  private static final JsonReader.Options RESPONSE_NAMES = JsonReader.Options.of(
      "id", "model", "provider", "created", "choices", "usage");
  private static final JsonReader.Options CHOICE_NAMES = JsonReader.Options.of(
      "index", "message", "finish_reason", "native_finish_reason");
  private static final JsonReader.Options MESSAGE_NAMES = JsonReader.Options.of(
      "role", "content", "name", "tool_calls", "tool_call_id", "reasoning");
  private static final JsonReader.Options TOOL_CALL_NAMES = JsonReader.Options.of(
      "id", "type", "function", "index");
  private static final JsonReader.Options FUNCTION_NAMES = JsonReader.Options.of("name", "arguments");
  private static final JsonReader.Options USAGE_NAMES = JsonReader.Options.of(
      "prompt_tokens", "completion_tokens", "total_tokens", "cost", "prompt_tokens_details",
      "completion_tokens_details");
  private static final JsonReader.Options CHUNK_CHOICE_NAMES = JsonReader.Options.of(
      "index", "delta", "finish_reason", "native_finish_reason");
  private static final JsonReader.Options DELTA_NAMES = JsonReader.Options.of(
      "role", "content", "reasoning", "tool_calls");
  private static final JsonReader.Options TYPE_NAME = JsonReader.Options.of("type");

  private OpenAiChatJson() {
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  /**
   * Writes {@code request} as a chat-completions body: the typed fields, the messages, {@code "stream":
   * true} when {@code stream}, then every {@link ChatRequest#parameters()} entry unchanged.
   */
  public static void writeRequest(ChatRequest request, boolean stream, BufferedSink sink)
      throws IOException {
    JsonWriter writer = JsonWriter.of(sink);
    writer.setSerializeNulls(true);
    writer.beginObject();
    writer.name("model").value(request.model());
    writer.name("messages").beginArray();
    for (Message message : request.messages()) writeMessage(writer, message);
    writer.endArray();
    if (stream) writer.name("stream").value(true);
    if (request.temperature() != null) writer.name("temperature").value(request.temperature());
    if (request.topP() != null) writer.name("top_p").value(request.topP());
    if (request.maxTokens() != null) writer.name("max_tokens").value(request.maxTokens().longValue());
    if (!request.stop().isEmpty()) {
      writer.name("stop").beginArray();
      for (String stop : request.stop()) writer.value(stop);
      writer.endArray();
    }
    if (request.seed() != null) writer.name("seed").value(request.seed().longValue());
    writeEntries(writer, request.parameters(), null);
    writer.endObject();
    writer.flush();
  }

  /**
   * Reads a client's chat-completions body. Fields without a typed accessor land in
   * {@link ChatRequest#parameters()} unchanged; {@code model} is required.
   */
  public static ParsedRequest readRequest(BufferedSource source) throws IOException {
    return readDocument(source, OpenAiChatJson::readRequest);
  }

  private static ParsedRequest readRequest(JsonReader reader) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    ChatRequest.Builder builder = ChatRequest.builder();
    boolean sawModel = false;
    boolean stream = false;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(REQUEST_NAMES)) {
        case 0 -> {
          String model = JsonTree.string(reader);
          if (model.isBlank()) throw new WireFormatException("model is blank", reader.getPath(), null);
          builder.model(model);
          sawModel = true;
        }
        case 1 -> {
          if (JsonTree.skipNull(reader)) break;
          JsonTree.expect(reader, JsonReader.Token.BEGIN_ARRAY);
          reader.beginArray();
          while (reader.hasNext()) builder.addMessage(readMessage(reader, null));
          reader.endArray();
        }
        case 2 -> {
          Boolean value = JsonTree.booleanOrNull(reader);
          stream = value != null && value;
        }
        case 3 -> builder.temperature(JsonTree.doubleOrNull(reader));
        case 4 -> builder.topP(JsonTree.doubleOrNull(reader));
        case 5 -> {
          String path = reader.getPath();
          Long maxTokens = JsonTree.longOrNull(reader);
          if (maxTokens != null && (maxTokens <= 0 || maxTokens > Integer.MAX_VALUE)) {
            throw new WireFormatException("max_tokens must be a positive int", path, null);
          }
          builder.maxTokens(maxTokens != null ? maxTokens.intValue() : null);
        }
        case 6 -> builder.stop(readStop(reader));
        case 7 -> builder.seed(JsonTree.longOrNull(reader));
        default -> {
          String name = reader.nextName();
          builder.put(name, JsonTree.readValue(reader));
        }
      }
    }
    reader.endObject();
    if (!sawModel) throw new WireFormatException("missing required field 'model'", "$.model", null);
    return new ParsedRequest(builder.build(), stream);
  }

  private static List<String> readStop(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) {
      reader.nextNull();
      return List.of();
    }
    if (token == JsonReader.Token.STRING) return List.of(reader.nextString());
    JsonTree.expect(reader, JsonReader.Token.BEGIN_ARRAY);
    List<String> result = new ArrayList<>();
    reader.beginArray();
    while (reader.hasNext()) result.add(JsonTree.string(reader));
    reader.endArray();
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // Responses

  /**
   * Reads a chat-completions response. Missing {@code id} and {@code model} read as empty strings and a
   * missing {@code choices} as none, so that an error object sent in place of a completion (kept in
   * {@link ChatResponse#extra()} under {@code error}) can be read and reported by the caller.
   *
   * @param providerId the configured provider id to record as {@link ChatResponse#provider()}
   * @param generationId the generation id from the response headers, if any
   */
  public static ChatResponse readResponse(BufferedSource source, String providerId,
      @Nullable String generationId) throws IOException {
    Objects.requireNonNull(providerId, "providerId == null");
    return readDocument(source, reader -> readResponse(reader, providerId, generationId));
  }

  private static ChatResponse readResponse(JsonReader reader, String providerId,
      @Nullable String generationId) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    String id = "";
    String model = "";
    String servedBy = null;
    long created = 0;
    List<Choice> choices = List.of();
    Usage usage = null;
    Map<String, @Nullable Object> extra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(RESPONSE_NAMES)) {
        case 0 -> id = orEmpty(JsonTree.stringOrNull(reader));
        case 1 -> model = orEmpty(JsonTree.stringOrNull(reader));
        case 2 -> servedBy = JsonTree.stringOrNull(reader);
        case 3 -> created = JsonTree.longOrZero(reader);
        case 4 -> {
          if (JsonTree.skipNull(reader)) break;
          JsonTree.expect(reader, JsonReader.Token.BEGIN_ARRAY);
          choices = new ArrayList<>();
          reader.beginArray();
          while (reader.hasNext()) choices.add(readChoice(reader));
          reader.endArray();
        }
        case 5 -> usage = readUsage(reader);
        default -> extra = putExtra(reader, extra);
      }
    }
    reader.endObject();
    return ChatResponse.builder()
        .id(id)
        .model(model)
        .provider(providerId)
        .servedBy(servedBy)
        .created(created)
        .choices(choices)
        .usage(usage)
        .generationId(generationId)
        .extra(frozen(extra))
        .build();
  }

  private static Choice readChoice(JsonReader reader) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    int index = 0;
    Message message = null;
    FinishReason finishReason = null;
    String nativeFinishReason = null;
    Map<String, @Nullable Object> extra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(CHOICE_NAMES)) {
        case 0 -> index = JsonTree.intOrZero(reader);
        case 1 -> {
          if (!JsonTree.skipNull(reader)) message = readMessage(reader, Role.ASSISTANT);
        }
        case 2 -> finishReason = finishReason(JsonTree.stringOrNull(reader));
        case 3 -> nativeFinishReason = JsonTree.stringOrNull(reader);
        default -> extra = putExtra(reader, extra);
      }
    }
    reader.endObject();
    if (message == null) {
      message = Message.builder(Role.ASSISTANT).build();
    }
    return Choice.builder()
        .index(index)
        .message(message)
        .finishReason(finishReason)
        .nativeFinishReason(nativeFinishReason)
        .extra(frozen(extra))
        .build();
  }

  private static @Nullable Usage readUsage(JsonReader reader) throws IOException {
    if (JsonTree.skipNull(reader)) return null;
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    long prompt = 0;
    long completion = 0;
    long total = 0;
    BigDecimal cost = null;
    long cached = 0;
    long reasoning = 0;
    Map<String, @Nullable Object> extra = new LinkedHashMap<>();
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(USAGE_NAMES)) {
        case 0 -> prompt = JsonTree.longOrZero(reader);
        case 1 -> completion = JsonTree.longOrZero(reader);
        case 2 -> total = JsonTree.longOrZero(reader);
        case 3 -> cost = JsonTree.decimalOrNull(reader);
        case 4 -> {
          Object details = detailsObject(reader);
          extra.put("prompt_tokens_details", details);
          cached = JsonTree.longIn(details, "cached_tokens");
        }
        case 5 -> {
          Object details = detailsObject(reader);
          extra.put("completion_tokens_details", details);
          reasoning = JsonTree.longIn(details, "reasoning_tokens");
        }
        default -> extra.put(reader.nextName(), JsonTree.readValue(reader));
      }
    }
    reader.endObject();
    return Usage.builder()
        .promptTokens(prompt)
        .completionTokens(completion)
        .totalTokens(total)
        .cost(cost)
        .cachedTokens(cached)
        .reasoningTokens(reasoning)
        .extra(FrozenJson.map(extra))
        .build();
  }

  private static @Nullable Object detailsObject(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token != JsonReader.Token.NULL) JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    return JsonTree.readValue(reader);
  }

  /** Writes {@code response} as a chat-completions body; {@link ChatResponse#extra()} is written back. */
  public static void writeResponse(ChatResponse response, BufferedSink sink) throws IOException {
    JsonWriter writer = JsonWriter.of(sink);
    writer.setSerializeNulls(true);
    writer.beginObject();
    writer.name("id").value(response.id());
    if (!response.extra().containsKey("object")) writer.name("object").value("chat.completion");
    writer.name("created").value(response.created());
    writer.name("model").value(response.model());
    if (response.servedBy() != null) writer.name("provider").value(response.servedBy());
    writer.name("choices").beginArray();
    for (Choice choice : response.choices()) {
      writer.beginObject();
      writer.name("index").value(choice.index());
      writer.name("message");
      writeMessage(writer, choice.message());
      writeFinish(writer, choice.finishReason(), choice.nativeFinishReason());
      writeEntries(writer, choice.extra(), CHOICE_NAMES);
      writer.endObject();
    }
    writer.endArray();
    writeUsageAndExtra(writer, response.usage(), response.extra());
  }

  private static void writeUsage(JsonWriter writer, Usage usage) throws IOException {
    writer.beginObject();
    writer.name("prompt_tokens").value(usage.promptTokens());
    writer.name("completion_tokens").value(usage.completionTokens());
    writer.name("total_tokens").value(usage.totalTokens());
    if (usage.cost() != null) writer.name("cost").value(usage.cost());
    Map<String, @Nullable Object> extra = usage.extra();
    // Counts set in code without their details object still reach the wire.
    if (usage.cachedTokens() != 0 && !(extra.get("prompt_tokens_details") instanceof Map)) {
      writer.name("prompt_tokens_details").beginObject()
          .name("cached_tokens").value(usage.cachedTokens()).endObject();
    }
    if (usage.reasoningTokens() != 0 && !(extra.get("completion_tokens_details") instanceof Map)) {
      writer.name("completion_tokens_details").beginObject()
          .name("reasoning_tokens").value(usage.reasoningTokens()).endObject();
    }
    for (Map.Entry<String, @Nullable Object> entry : extra.entrySet()) {
      String name = entry.getKey();
      if (name.equals("prompt_tokens") || name.equals("completion_tokens")
          || name.equals("total_tokens") || name.equals("cost")) {
        continue;
      }
      if (entry.getValue() == null && (name.equals("prompt_tokens_details") && usage.cachedTokens() != 0
          || name.equals("completion_tokens_details") && usage.reasoningTokens() != 0)) {
        continue; // Already written above from the typed count.
      }
      writer.name(name);
      JsonTree.writeValue(writer, entry.getValue());
    }
    writer.endObject();
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  private static Message readMessage(JsonReader reader, @Nullable Role defaultRole) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    String objectPath = reader.getPath();
    Role role = null;
    String content = null;
    List<ContentPart> parts = List.of();
    String name = null;
    List<ToolCall> toolCalls = List.of();
    String toolCallId = null;
    String reasoning = null;
    Map<String, @Nullable Object> extra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(MESSAGE_NAMES)) {
        case 0 -> {
          String value = JsonTree.stringOrNull(reader);
          if (value != null) role = Role.of(value);
        }
        case 1 -> {
          JsonReader.Token token = reader.peek();
          if (token == JsonReader.Token.BEGIN_ARRAY) {
            parts = readParts(reader);
          } else {
            content = JsonTree.stringOrNull(reader);
          }
        }
        case 2 -> name = JsonTree.stringOrNull(reader);
        case 3 -> {
          if (JsonTree.skipNull(reader)) break;
          JsonTree.expect(reader, JsonReader.Token.BEGIN_ARRAY);
          toolCalls = new ArrayList<>();
          reader.beginArray();
          while (reader.hasNext()) toolCalls.add(readToolCall(reader));
          reader.endArray();
        }
        case 4 -> toolCallId = JsonTree.stringOrNull(reader);
        case 5 -> reasoning = JsonTree.stringOrNull(reader);
        default -> extra = putExtra(reader, extra);
      }
    }
    reader.endObject();
    if (role == null) {
      if (defaultRole == null) {
        throw new WireFormatException("missing required field 'role'", objectPath + ".role", null);
      }
      role = defaultRole;
    }
    return Message.builder(role)
        .content(content)
        .parts(parts)
        .name(name)
        .toolCalls(toolCalls)
        .toolCallId(toolCallId)
        .reasoning(reasoning)
        .extra(frozen(extra))
        .build();
  }

  private static List<ContentPart> readParts(JsonReader reader) throws IOException {
    List<ContentPart> parts = new ArrayList<>();
    reader.beginArray();
    while (reader.hasNext()) {
      JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
      String partPath = reader.getPath();
      String type = null;
      Map<String, @Nullable Object> fields = new LinkedHashMap<>();
      reader.beginObject();
      while (reader.hasNext()) {
        if (reader.selectName(TYPE_NAME) == 0) {
          type = JsonTree.string(reader);
        } else {
          fields.put(reader.nextName(), JsonTree.readValue(reader));
        }
      }
      reader.endObject();
      if (type == null) {
        throw new WireFormatException("content part has no 'type'", partPath + ".type", null);
      }
      parts.add(new ContentPart(type, fields));
    }
    reader.endArray();
    return parts;
  }

  private static ToolCall readToolCall(JsonReader reader) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    String id = "";
    String type = "function";
    String name = "";
    String arguments = "";
    Map<String, @Nullable Object> extra = null;
    Map<String, @Nullable Object> functionExtra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(TOOL_CALL_NAMES)) {
        case 0 -> id = orEmpty(JsonTree.stringOrNull(reader));
        case 1 -> {
          String value = JsonTree.stringOrNull(reader);
          if (value != null) type = value;
        }
        case 2 -> {
          if (JsonTree.skipNull(reader)) break;
          JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
          reader.beginObject();
          while (reader.hasNext()) {
            switch (reader.selectName(FUNCTION_NAMES)) {
              case 0 -> name = orEmpty(JsonTree.stringOrNull(reader));
              case 1 -> arguments = readArguments(reader);
              default -> functionExtra = putExtra(reader, functionExtra);
            }
          }
          reader.endObject();
        }
        case 3 -> reader.skipValue(); // A non-streamed call's "index" is its position in the list.
        default -> extra = putExtra(reader, extra); // provider-specific fields, such as signatures
      }
    }
    reader.endObject();
    if (functionExtra != null) {
      if (extra == null) extra = new LinkedHashMap<>();
      extra.put("function", FrozenJson.map(functionExtra));
    }
    return ToolCall.builder()
        .id(id)
        .type(type)
        .name(name)
        .arguments(arguments)
        .extra(frozen(extra))
        .build();
  }

  /** Arguments are a JSON text in a string; some upstreams send the object itself, kept as its text. */
  private static String readArguments(JsonReader reader) throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.STRING || token == JsonReader.Token.NULL) {
      return orEmpty(JsonTree.stringOrNull(reader));
    }
    Object value = JsonTree.readValue(reader);
    Buffer buffer = new Buffer();
    JsonWriter writer = JsonWriter.of(buffer);
    writer.setSerializeNulls(true);
    JsonTree.writeValue(writer, value);
    writer.flush();
    return buffer.readUtf8();
  }

  private static void writeMessage(JsonWriter writer, Message message) throws IOException {
    writer.beginObject();
    writer.name("role").value(message.role().value());
    writer.name("content");
    if (message.content() != null) {
      writer.value(message.content());
    } else if (!message.parts().isEmpty()) {
      writer.beginArray();
      for (ContentPart part : message.parts()) {
        writer.beginObject();
        writer.name("type").value(part.type());
        writeEntries(writer, part.fields(), TYPE_NAME);
        writer.endObject();
      }
      writer.endArray();
    } else {
      writer.nullValue();
    }
    if (message.name() != null) writer.name("name").value(message.name());
    if (!message.toolCalls().isEmpty()) {
      writer.name("tool_calls").beginArray();
      for (ToolCall call : message.toolCalls()) {
        writer.beginObject();
        writer.name("id").value(call.id());
        writer.name("type").value(call.type());
        writer.name("function").beginObject();
        writer.name("name").value(call.name());
        writer.name("arguments").value(call.arguments());
        writeFunctionExtra(writer, call.extra());
        writer.endObject();
        writeEntries(writer, call.extra(), TOOL_CALL_NAMES);
        writer.endObject();
      }
      writer.endArray();
    }
    if (message.toolCallId() != null) writer.name("tool_call_id").value(message.toolCallId());
    if (message.reasoning() != null) writer.name("reasoning").value(message.reasoning());
    writeEntries(writer, message.extra(), MESSAGE_NAMES);
    writer.endObject();
  }

  // ---------------------------------------------------------------------------------------------
  // Any JSON

  /**
   * Reads one JSON document as JSON-like values (Map, List, String, Boolean, null; integers as Long when
   * they fit, other numbers as BigDecimal, so no digit is lost). For bodies with no typed shape, such
   * as a Responses-API request.
   */
  public static @Nullable Object readValue(BufferedSource source) throws IOException {
    return readDocument(source, JsonTree::readValue);
  }

  /** Writes JSON-like values (as {@link #readValue} returns them), nulls included. */
  public static void writeValue(@Nullable Object value, BufferedSink sink) throws IOException {
    JsonWriter writer = JsonWriter.of(sink);
    writer.setSerializeNulls(true);
    JsonTree.writeValue(writer, value);
    writer.flush();
  }

  // ---------------------------------------------------------------------------------------------
  // Stream chunks

  /** Reads one {@code chat.completion.chunk} (the data of one server-sent event). */
  public static ChatChunk readChunk(BufferedSource source) throws IOException {
    return readDocument(source, OpenAiChatJson::readChunk);
  }

  /** Reads one chunk from its JSON text. */
  public static ChatChunk readChunk(String json) {
    try {
      return readChunk(new Buffer().writeUtf8(json));
    } catch (WireFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does no I/O.
    }
  }

  private static ChatChunk readChunk(JsonReader reader) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    String id = "";
    String model = "";
    String servedBy = null;
    long created = 0;
    List<ChatChunk.Choice> choices = List.of();
    Usage usage = null;
    Map<String, @Nullable Object> extra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(RESPONSE_NAMES)) {
        case 0 -> id = orEmpty(JsonTree.stringOrNull(reader));
        case 1 -> model = orEmpty(JsonTree.stringOrNull(reader));
        case 2 -> servedBy = JsonTree.stringOrNull(reader);
        case 3 -> created = JsonTree.longOrZero(reader);
        case 4 -> {
          if (JsonTree.skipNull(reader)) break;
          JsonTree.expect(reader, JsonReader.Token.BEGIN_ARRAY);
          choices = new ArrayList<>(1);
          reader.beginArray();
          while (reader.hasNext()) choices.add(readChunkChoice(reader));
          reader.endArray();
        }
        case 5 -> usage = readUsage(reader);
        default -> extra = putExtra(reader, extra);
      }
    }
    reader.endObject();
    return ChatChunk.builder()
        .id(id)
        .model(model)
        .servedBy(servedBy)
        .created(created)
        .choices(choices)
        .usage(usage)
        .extra(frozen(extra))
        .build();
  }

  private static ChatChunk.Choice readChunkChoice(JsonReader reader) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    int index = 0;
    ChatChunk.Delta delta = null;
    FinishReason finishReason = null;
    String nativeFinishReason = null;
    Map<String, @Nullable Object> extra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(CHUNK_CHOICE_NAMES)) {
        case 0 -> index = JsonTree.intOrZero(reader);
        case 1 -> {
          if (!JsonTree.skipNull(reader)) delta = readDelta(reader);
        }
        case 2 -> finishReason = finishReason(JsonTree.stringOrNull(reader));
        case 3 -> nativeFinishReason = JsonTree.stringOrNull(reader);
        default -> extra = putExtra(reader, extra); // logprobs and the like
      }
    }
    reader.endObject();
    return ChatChunk.Choice.builder()
        .index(index)
        .delta(delta != null ? delta : ChatChunk.Delta.EMPTY)
        .finishReason(finishReason)
        .nativeFinishReason(nativeFinishReason)
        .extra(frozen(extra))
        .build();
  }

  private static ChatChunk.Delta readDelta(JsonReader reader) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    Role role = null;
    String content = null;
    String reasoning = null;
    List<ChatChunk.ToolCallDelta> toolCalls = List.of();
    Map<String, @Nullable Object> extra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(DELTA_NAMES)) {
        case 0 -> {
          String value = JsonTree.stringOrNull(reader);
          if (value != null) role = Role.of(value);
        }
        case 1 -> content = JsonTree.stringOrNull(reader);
        case 2 -> reasoning = JsonTree.stringOrNull(reader);
        case 3 -> {
          if (JsonTree.skipNull(reader)) break;
          JsonTree.expect(reader, JsonReader.Token.BEGIN_ARRAY);
          toolCalls = new ArrayList<>(1);
          reader.beginArray();
          while (reader.hasNext()) toolCalls.add(readToolCallDelta(reader));
          reader.endArray();
        }
        default -> extra = putExtra(reader, extra); // refusal, reasoning_details, ...
      }
    }
    reader.endObject();
    return ChatChunk.Delta.builder()
        .role(role)
        .content(content)
        .reasoning(reasoning)
        .toolCalls(toolCalls)
        .extra(frozen(extra))
        .build();
  }

  private static ChatChunk.ToolCallDelta readToolCallDelta(JsonReader reader) throws IOException {
    JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
    int index = 0;
    String id = null;
    String type = null;
    String name = null;
    String arguments = null;
    Map<String, @Nullable Object> extra = null;
    Map<String, @Nullable Object> functionExtra = null;
    reader.beginObject();
    while (reader.hasNext()) {
      switch (reader.selectName(TOOL_CALL_NAMES)) {
        case 0 -> id = JsonTree.stringOrNull(reader);
        case 1 -> type = JsonTree.stringOrNull(reader);
        case 2 -> {
          if (JsonTree.skipNull(reader)) break;
          JsonTree.expect(reader, JsonReader.Token.BEGIN_OBJECT);
          reader.beginObject();
          while (reader.hasNext()) {
            switch (reader.selectName(FUNCTION_NAMES)) {
              case 0 -> name = JsonTree.stringOrNull(reader);
              case 1 -> arguments = JsonTree.stringOrNull(reader);
              default -> functionExtra = putExtra(reader, functionExtra);
            }
          }
          reader.endObject();
        }
        case 3 -> index = JsonTree.intOrZero(reader);
        default -> extra = putExtra(reader, extra);
      }
    }
    reader.endObject();
    if (functionExtra != null) {
      if (extra == null) extra = new LinkedHashMap<>();
      extra.put("function", FrozenJson.map(functionExtra));
    }
    return ChatChunk.ToolCallDelta.builder()
        .index(index)
        .id(id)
        .type(type)
        .name(name)
        .arguments(arguments)
        .extra(frozen(extra))
        .build();
  }

  /** Writes {@code chunk} as the JSON of one server-sent event (without the {@code data:} framing). */
  public static void writeChunk(ChatChunk chunk, BufferedSink sink) throws IOException {
    JsonWriter writer = JsonWriter.of(sink);
    writer.setSerializeNulls(true);
    writer.beginObject();
    writer.name("id").value(chunk.id());
    if (!chunk.extra().containsKey("object")) writer.name("object").value("chat.completion.chunk");
    writer.name("created").value(chunk.created());
    writer.name("model").value(chunk.model());
    if (chunk.servedBy() != null) writer.name("provider").value(chunk.servedBy());
    writer.name("choices").beginArray();
    for (ChatChunk.Choice choice : chunk.choices()) {
      writer.beginObject();
      writer.name("index").value(choice.index());
      writer.name("delta").beginObject();
      ChatChunk.Delta delta = choice.delta();
      if (delta.role() != null) writer.name("role").value(delta.role().value());
      if (delta.content() != null) writer.name("content").value(delta.content());
      if (delta.reasoning() != null) writer.name("reasoning").value(delta.reasoning());
      if (!delta.toolCalls().isEmpty()) {
        writer.name("tool_calls").beginArray();
        for (ChatChunk.ToolCallDelta call : delta.toolCalls()) {
          writer.beginObject();
          writer.name("index").value(call.index());
          if (call.id() != null) writer.name("id").value(call.id());
          if (call.type() != null) writer.name("type").value(call.type());
          writer.name("function").beginObject();
          if (call.name() != null) writer.name("name").value(call.name());
          if (call.arguments() != null) writer.name("arguments").value(call.arguments());
          writeFunctionExtra(writer, call.extra());
          writer.endObject();
          writeEntries(writer, call.extra(), TOOL_CALL_NAMES);
          writer.endObject();
        }
        writer.endArray();
      }
      writeEntries(writer, delta.extra(), DELTA_NAMES);
      writer.endObject();
      writeFinish(writer, choice.finishReason(), choice.nativeFinishReason());
      writeEntries(writer, choice.extra(), CHUNK_CHOICE_NAMES);
      writer.endObject();
    }
    writer.endArray();
    writeUsageAndExtra(writer, chunk.usage(), chunk.extra());
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The unknown fields of a tool call's {@code function}, kept under its extra's {@code function}. */
  private static void writeFunctionExtra(JsonWriter writer, Map<String, @Nullable Object> callExtra)
      throws IOException {
    if (callExtra.get("function") instanceof Map<?, ?> functionExtra) {
      @SuppressWarnings("unchecked")
      Map<String, @Nullable Object> entries = (Map<String, @Nullable Object>) functionExtra;
      writeEntries(writer, entries, FUNCTION_NAMES);
    }
  }

  /** A choice's {@code finish_reason} (null while streaming) and, if known, the native one. */
  private static void writeFinish(JsonWriter writer, @Nullable FinishReason finishReason,
      @Nullable String nativeFinishReason) throws IOException {
    writer.name("finish_reason").value(finishReasonValue(finishReason));
    if (nativeFinishReason != null) writer.name("native_finish_reason").value(nativeFinishReason);
  }

  /** The end of a response or chunk object: its usage, every untyped top-level field, and the close. */
  private static void writeUsageAndExtra(JsonWriter writer, @Nullable Usage usage,
      Map<String, @Nullable Object> extra) throws IOException {
    if (usage != null) {
      writer.name("usage");
      writeUsage(writer, usage);
    }
    writeEntries(writer, extra, RESPONSE_NAMES);
    writer.endObject();
    writer.flush();
  }

  private interface DocumentReader<T> {
    T read(JsonReader reader) throws IOException;
  }

  /**
   * Reads one whole JSON document with {@code read}, refusing trailing content, and turns every way the
   * input can be wrong into a {@link WireFormatException} with its path.
   */
  private static <T> T readDocument(BufferedSource source, DocumentReader<T> read) throws IOException {
    JsonReader reader = JsonReader.of(source);
    try {
      T result = read.read(reader);
      expectEnd(reader);
      return result;
    } catch (JsonDataException | JsonEncodingException | EOFException | IllegalArgumentException e) {
      throw malformed(reader, e);
    }
  }

  /** The extras read, handed over without another copy: the codec built them from parsed JSON. */
  private static Map<String, @Nullable Object> frozen(@Nullable Map<String, @Nullable Object> extra) {
    return extra != null ? FrozenJson.map(extra) : Map.of();
  }

  private static Map<String, @Nullable Object> putExtra(JsonReader reader,
      @Nullable Map<String, @Nullable Object> extra) throws IOException {
    if (extra == null) extra = new LinkedHashMap<>();
    extra.put(reader.nextName(), JsonTree.readValue(reader));
    return extra;
  }

  /**
   * Writes each entry of {@code extra} except names the caller already wrote as typed fields (an extra map
   * built in code may repeat one; the typed value wins, so the output never has duplicate keys).
   */
  private static void writeEntries(JsonWriter writer, Map<String, @Nullable Object> extra,
      JsonReader.@Nullable Options typedNames) throws IOException {
    for (Map.Entry<String, @Nullable Object> entry : extra.entrySet()) {
      String name = entry.getKey();
      if (typedNames != null && typedNames.strings().contains(name)) continue;
      writer.name(name);
      JsonTree.writeValue(writer, entry.getValue());
    }
  }

  private static @Nullable FinishReason finishReason(@Nullable String value) {
    return value != null ? FinishReason.of(value) : null;
  }

  private static @Nullable String finishReasonValue(@Nullable FinishReason reason) {
    return reason != null ? reason.value() : null;
  }

  private static String orEmpty(@Nullable String value) {
    return value != null ? value : "";
  }

  private static void expectEnd(JsonReader reader) throws IOException {
    if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
      throw new JsonDataException("Expected the end of the document but found more JSON at path "
          + reader.getPath());
    }
  }

  private static WireFormatException malformed(JsonReader reader, Exception e) {
    String path = reader.getPath();
    String detail = e instanceof EOFException ? "the JSON ended early" : describe(e.getMessage());
    if (e instanceof JsonEncodingException) detail = "malformed JSON: " + detail;
    return new WireFormatException(detail, path, e);
  }

  /** Moshi's message without its own " at path ..." suffix, which {@link WireFormatException} adds. */
  private static String describe(@Nullable String message) {
    if (message == null) return "unexpected JSON";
    // Moshi's advice to go lenient is for its own users, not for whoever sent the broken body.
    if (message.startsWith("Use JsonReader.setLenient(true)")) return "not valid JSON";
    int at = message.lastIndexOf(" at path ");
    return at >= 0 ? message.substring(0, at) : message;
  }
}
