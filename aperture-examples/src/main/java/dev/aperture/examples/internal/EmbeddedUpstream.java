package dev.aperture.examples.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for OpenRouter on 127.0.0.1 (random port), so the examples run with no network and no key.
 * It answers in OpenRouter's shapes:
 *
 * <ul>
 *   <li>{@code POST /api/v1/chat/completions}: a deterministic reply built from the last user message,
 *       with usage and cost; streamed as OpenRouter streams (a {@code : OPENROUTER PROCESSING} comment, a
 *       role chunk, content chunks, a finish chunk, a usage-only chunk, {@code data: [DONE]}). When the
 *       request has {@code tools} and the last message is not a tool result, it calls the first tool.
 *   <li>{@code GET /api/v1/models} and {@code GET /api/v1/key}: minimal catalog and key shapes.
 *   <li>401 for a wrong key, 400 for a model it does not serve, as OpenRouter does.
 * </ul>
 *
 * <p>Paths without the {@code /api} prefix work too. Bounded: a few threads, a 1 MiB body limit.
 */
public final class EmbeddedUpstream implements Closeable {
  /** The key the examples use offline; any other is answered with 401. */
  public static final String DEMO_KEY = "sk-or-offline-demo";

  /** The models the embedded upstream serves by default: the demo configuration's. */
  public static final List<String> DEFAULT_MODELS = List.of(
      "qwen/qwen3-235b-a22b-2507", "google/gemini-2.5-pro-preview", "x-ai/grok-code-fast-1");

  private static final long MAX_BODY = 1024 * 1024;
  private static final BigDecimal COST_PER_TOKEN = new BigDecimal("0.0000002");

  private final HttpServer server;
  private final String apiKey;
  private final List<String> models;
  private final AtomicInteger chatRequests = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();

  private EmbeddedUpstream(HttpServer server, String apiKey, List<String> models) {
    this.server = server;
    this.apiKey = apiKey;
    this.models = models;
  }

  /** Starts one serving {@link #DEFAULT_MODELS} to {@link #DEMO_KEY}. */
  public static EmbeddedUpstream start() throws IOException {
    return start(DEMO_KEY, DEFAULT_MODELS);
  }

  public static EmbeddedUpstream start(String apiKey, List<String> models) throws IOException {
    Objects.requireNonNull(apiKey, "apiKey == null");
    HttpServer server = Http.loopbackServer(0, 4, 32, "embedded-upstream");
    EmbeddedUpstream upstream = new EmbeddedUpstream(server, apiKey, List.copyOf(models));
    server.createContext("/", upstream::handle);
    server.start();
    return upstream;
  }

  /** The base URL to put in a provider's {@code baseurl}, such as {@code http://127.0.0.1:41234/api/}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  /** How many chat-completion requests have arrived (with a valid key or not). */
  public int chatRequestCount() {
    return chatRequests.get();
  }

  @Override
  public void close() {
    Http.stop(server);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (Http.isOverloaded()) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        Http.sendJson(exchange, 503, error(503, "the embedded upstream is busy"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.startsWith("/api/")) path = path.substring("/api".length());
      String method = exchange.getRequestMethod();
      switch (method + " " + path) {
        case "POST /v1/chat/completions" -> chatCompletions(exchange);
        case "GET /v1/models" -> Http.sendJson(exchange, 200, Json.toJson(catalog()));
        case "GET /v1/key" -> {
          if (authorized(exchange)) Http.sendJson(exchange, 200, Json.toJson(keyInfo()));
        }
        default -> Http.sendJson(exchange, 404, error(404, "no route for " + method + " " + path));
      }
    } catch (RuntimeException e) {
      // A bug here must not hang the client: answer 500 if nothing has been sent yet.
      if (exchange.getResponseCode() == -1) {
        Http.sendJson(exchange, 500, error(500, "embedded upstream failed: " + e));
      }
    }
  }

  private boolean authorized(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null || authorization.isBlank()) {
      Http.sendJson(exchange, 401, error(401, "No auth credentials found"));
      return false;
    }
    if (!authorization.equals("Bearer " + apiKey)) {
      Http.sendJson(exchange, 401, error(401, "User not found."));
      return false;
    }
    return true;
  }

  private void chatCompletions(HttpExchange exchange) throws IOException {
    chatRequests.incrementAndGet();
    if (!authorized(exchange)) return;
    Object parsed;
    try {
      parsed = Json.read(Http.readBody(exchange, MAX_BODY));
    } catch (Http.BodyTooLargeException e) {
      Http.sendJson(exchange, 413, error(413, e.getMessage()));
      return;
    } catch (IOException | RuntimeException e) {
      Http.sendJson(exchange, 400, error(400, "invalid JSON body: " + e.getMessage()));
      return;
    }
    if (!(parsed instanceof Map<?, ?> request)) {
      Http.sendJson(exchange, 400, error(400, "the body must be a JSON object"));
      return;
    }
    Object model = request.get("model");
    if (!(model instanceof String modelName) || !models.contains(modelName)) {
      Http.sendJson(exchange, 400, error(400, model + " is not a valid model ID"));
      return;
    }
    Object messagesValue = request.get("messages");
    List<?> messages = messagesValue instanceof List<?> list ? list : List.of();
    Reply reply = reply(messages, request.get("tools"));
    String id = "gen-offline-" + ids.incrementAndGet();
    long created = System.currentTimeMillis() / 1000;
    Map<String, @Nullable Object> usage = usage(promptTokens(messages), words(reply.text) + reply.argumentTokens());
    if (Boolean.TRUE.equals(request.get("stream"))) {
      stream(exchange, id, modelName, created, reply, usage);
    } else {
      Map<String, @Nullable Object> message = new LinkedHashMap<>();
      message.put("role", "assistant");
      message.put("content", reply.text);
      message.put("refusal", null);
      message.put("reasoning", null);
      if (reply.toolCall != null) message.put("tool_calls", List.of(reply.toolCall));
      Map<String, @Nullable Object> choice = new LinkedHashMap<>();
      choice.put("logprobs", null);
      choice.put("finish_reason", reply.finishReason());
      choice.put("native_finish_reason", reply.finishReason());
      choice.put("index", 0);
      choice.put("message", message);
      Map<String, @Nullable Object> body = envelope(id, modelName, created, "chat.completion");
      body.put("choices", List.of(choice));
      body.put("usage", usage);
      exchange.getResponseHeaders().set("X-Generation-Id", id);
      Http.sendJson(exchange, 200, Json.toJson(body));
    }
  }

  private void stream(HttpExchange exchange, String id, String model, long created, Reply reply,
      Map<String, @Nullable Object> usage) throws IOException {
    exchange.getResponseHeaders().set("X-Generation-Id", id);
    OutputStream out = Http.startEventStream(exchange);
    Http.sendEvent(out, ": OPENROUTER PROCESSING");
    Map<String, @Nullable Object> roleDelta = new LinkedHashMap<>();
    roleDelta.put("role", "assistant");
    roleDelta.put("content", "");
    Http.sendEvent(out, "data: " + Json.toJson(chunk(id, model, created, roleDelta, null)));
    if (reply.toolCall != null) {
      // Tool-call arguments arrive in pieces keyed by index, as OpenRouter sends them.
      Map<String, @Nullable Object> first = new LinkedHashMap<>(reply.toolCall);
      @SuppressWarnings("unchecked")
      Map<String, @Nullable Object> function = new LinkedHashMap<>((Map<String, @Nullable Object>) first.get("function"));
      String arguments = (String) Objects.requireNonNull(function.get("arguments"));
      function.put("arguments", "");
      first.put("function", function);
      Http.sendEvent(out, "data: " + Json.toJson(chunk(id, model, created, Map.of("tool_calls", List.of(first)), null)));
      int half = arguments.length() / 2;
      for (String piece : List.of(arguments.substring(0, half), arguments.substring(half))) {
        Map<String, @Nullable Object> delta = Map.of("tool_calls",
            List.of(Map.of("index", 0, "function", Map.of("arguments", piece))));
        Http.sendEvent(out, "data: " + Json.toJson(chunk(id, model, created, delta, null)));
      }
    } else {
      for (String piece : pieces(reply.text)) {
        Http.sendEvent(out, "data: " + Json.toJson(chunk(id, model, created, Map.of("content", piece), null)));
      }
    }
    Http.sendEvent(out, "data: " + Json.toJson(chunk(id, model, created, Map.of(), reply.finishReason())));
    Map<String, @Nullable Object> usageChunk = envelope(id, model, created, "chat.completion.chunk");
    usageChunk.put("choices", List.of());
    usageChunk.put("usage", usage);
    Http.sendEvent(out, "data: " + Json.toJson(usageChunk));
    Http.sendEvent(out, "data: [DONE]");
    out.close();
  }

  private static Map<String, @Nullable Object> chunk(String id, String model, long created,
      Map<String, ?> delta, @Nullable String finishReason) {
    Map<String, @Nullable Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("delta", delta);
    choice.put("finish_reason", finishReason);
    choice.put("native_finish_reason", finishReason);
    choice.put("logprobs", null);
    Map<String, @Nullable Object> chunk = envelope(id, model, created, "chat.completion.chunk");
    chunk.put("choices", List.of(choice));
    return chunk;
  }

  private static Map<String, @Nullable Object> envelope(String id, String model, long created, String object) {
    Map<String, @Nullable Object> result = new LinkedHashMap<>();
    result.put("id", id);
    result.put("provider", "Embedded");
    result.put("model", model);
    result.put("object", object);
    result.put("created", created);
    return result;
  }

  /** What to answer: text, or a call to the request's first tool. */
  private record Reply(String text, @Nullable Map<String, @Nullable Object> toolCall) {
    String finishReason() {
      return toolCall != null ? "tool_calls" : "stop";
    }

    long argumentTokens() {
      if (toolCall == null) return 0;
      Object function = toolCall.get("function");
      return function instanceof Map<?, ?> map ? words(String.valueOf(map.get("arguments"))) : 0;
    }
  }

  private Reply reply(List<?> messages, @Nullable Object tools) {
    Map<?, ?> last = messages.isEmpty() || !(messages.get(messages.size() - 1) instanceof Map<?, ?> m)
        ? Map.of() : m;
    if ("tool".equals(last.get("role"))) {
      return new Reply("According to the tool, " + text(last.get("content")) + ". (An offline answer from "
          + "Aperture's embedded upstream.)", null);
    }
    String question = lastUserText(messages);
    if (tools instanceof List<?> toolList && !toolList.isEmpty() && toolList.get(0) instanceof Map<?, ?> tool
        && tool.get("function") instanceof Map<?, ?> function && function.get("name") instanceof String name) {
      Map<String, @Nullable Object> call = new LinkedHashMap<>();
      call.put("index", 0);
      call.put("id", "call_offline_" + ids.incrementAndGet());
      call.put("type", "function");
      call.put("function", Map.of("name", name,
          "arguments", Json.toJson(arguments(function.get("parameters"), question))));
      return new Reply("", call);
    }
    return new Reply("You said: \"" + question + "\". This answer comes from Aperture's embedded upstream, "
        + "which stands in for OpenRouter while you are offline.", null);
  }

  /** Arguments for a tool's JSON schema: strings get the question's last capitalized word. */
  private static Map<String, @Nullable Object> arguments(@Nullable Object schema, String question) {
    Map<String, @Nullable Object> result = new LinkedHashMap<>();
    if (!(schema instanceof Map<?, ?> map) || !(map.get("properties") instanceof Map<?, ?> properties)) {
      return result;
    }
    for (Map.Entry<?, ?> property : properties.entrySet()) {
      Object type = property.getValue() instanceof Map<?, ?> p ? p.get("type") : null;
      Object enumValues = property.getValue() instanceof Map<?, ?> p ? p.get("enum") : null;
      Object value;
      if (enumValues instanceof List<?> list && !list.isEmpty()) value = list.get(0);
      else if ("number".equals(type) || "integer".equals(type)) value = 1L;
      else if ("boolean".equals(type)) value = Boolean.TRUE;
      else value = lastCapitalizedWord(question);
      result.put(String.valueOf(property.getKey()), value);
    }
    return result;
  }

  private static String lastCapitalizedWord(String text) {
    String result = "example";
    for (String word : text.split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty() && Character.isUpperCase(word.codePointAt(0))) result = word;
    }
    return result;
  }

  private static String lastUserText(List<?> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof Map<?, ?> message && "user".equals(message.get("role"))) {
        return text(message.get("content"));
      }
    }
    return "";
  }

  /** A message's text: its string content, or its text parts joined. */
  private static String text(@Nullable Object content) {
    if (content instanceof String s) return s;
    StringBuilder result = new StringBuilder();
    if (content instanceof List<?> parts) {
      for (Object part : parts) {
        if (part instanceof Map<?, ?> map && map.get("text") instanceof String s) result.append(s);
      }
    }
    return result.toString();
  }

  private static long promptTokens(List<?> messages) {
    long total = 0;
    for (Object message : messages) {
      if (message instanceof Map<?, ?> map) total += 3 + words(text(map.get("content")));
    }
    return total;
  }

  private static long words(String text) {
    String trimmed = text.strip();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }

  /** The text in pieces of a few words, each keeping its trailing space, so they join back exactly. */
  private static List<String> pieces(String text) {
    List<String> result = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    int wordsInPiece = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      piece.append(c);
      if (c == ' ' && ++wordsInPiece == 3) {
        result.add(piece.toString());
        piece.setLength(0);
        wordsInPiece = 0;
      }
    }
    if (piece.length() > 0) result.add(piece.toString());
    return result;
  }

  private static Map<String, @Nullable Object> usage(long promptTokens, long completionTokens) {
    Map<String, @Nullable Object> usage = new LinkedHashMap<>();
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    usage.put("cost", COST_PER_TOKEN.multiply(BigDecimal.valueOf(promptTokens + completionTokens)));
    usage.put("is_byok", false);
    usage.put("prompt_tokens_details", Map.of("cached_tokens", 0L));
    usage.put("completion_tokens_details", Map.of("reasoning_tokens", 0L));
    return usage;
  }

  private Map<String, @Nullable Object> catalog() {
    List<Object> data = new ArrayList<>();
    for (String model : models) {
      Map<String, @Nullable Object> entry = new LinkedHashMap<>();
      entry.put("id", model);
      entry.put("name", model + " (offline)");
      entry.put("context_length", 131072L);
      entry.put("pricing", Map.of("prompt", COST_PER_TOKEN.toPlainString(),
          "completion", COST_PER_TOKEN.toPlainString()));
      entry.put("supported_parameters", List.of("max_tokens", "temperature", "tools", "tool_choice"));
      data.add(entry);
    }
    return Map.of("data", data);
  }

  private static Map<String, @Nullable Object> keyInfo() {
    Map<String, @Nullable Object> data = new LinkedHashMap<>();
    data.put("label", "offline-demo");
    data.put("limit", null);
    data.put("usage", 0L);
    data.put("limit_remaining", null);
    data.put("is_free_tier", false);
    return Map.of("data", data);
  }

  private static String error(int code, String message) {
    return Json.toJson(Map.of("error", Map.of("message", message, "code", (long) code)));
  }
}
