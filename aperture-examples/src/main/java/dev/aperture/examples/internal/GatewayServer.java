package dev.aperture.examples.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.aperture.ApertureException;
import dev.aperture.ApiFormat;
import dev.aperture.Caller;
import dev.aperture.ChatChunk;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ModelInfo;
import dev.aperture.ResponsesRequest;
import dev.aperture.Router;
import dev.aperture.StreamException;
import dev.aperture.wire.OpenAiChatJson;
import dev.aperture.wire.ParsedRequest;
import dev.aperture.wire.WireFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-compatible HTTP front for a {@link Router}, on 127.0.0.1: {@code POST /v1/chat/completions}
 * (plain and streamed), {@code GET /v1/models}, {@code POST /v1/responses}.
 *
 * <p>The caller is whoever the fronting authenticating proxy says, in {@link #LOGIN_HEADER} (Tailscale
 * serve sets it) and optionally {@link #GROUPS_HEADER}; without them the caller is anonymous and only
 * {@code "*"} grants apply. The gateway trusts these headers, which is why it listens on loopback only:
 * put the proxy in front and nothing else. Clients' own {@code Authorization} headers and keys are
 * ignored: the providers use their configured keys.
 *
 * <p>Handlers run on a bounded pool; when it is full, requests are answered 503 at once.
 */
public final class GatewayServer implements Closeable {
  private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

  /** The caller's login, as Tailscale serve and similar proxies set it. */
  public static final String LOGIN_HEADER = "Tailscale-User-Login";
  /** The caller's groups, comma-separated, with or without the {@code group:} prefix; optional. */
  public static final String GROUPS_HEADER = "Aperture-User-Groups";
  /** The caller's tags, comma-separated, with or without the {@code tag:} prefix; optional. */
  public static final String TAGS_HEADER = "Aperture-User-Tags";
  /** Request bodies larger than this are refused with 400. */
  public static final long DEFAULT_MAX_BODY = 4L * 1024 * 1024;

  private final HttpServer server;
  private final Router router;
  private final long maxBody;

  private GatewayServer(HttpServer server, Router router, long maxBody) {
    this.server = server;
    this.router = router;
    this.maxBody = maxBody;
  }

  /** Starts a gateway on 127.0.0.1:{@code port} (0 for a random port) with a 4 MiB body limit. */
  public static GatewayServer start(Router router, int port) throws IOException {
    return start(router, port, DEFAULT_MAX_BODY, 16, 64);
  }

  public static GatewayServer start(Router router, int port, long maxBody, int threads, int queue)
      throws IOException {
    Objects.requireNonNull(router, "router == null");
    HttpServer server = Http.loopbackServer(port, threads, queue, "aperture-gateway");
    GatewayServer gateway = new GatewayServer(server, router, maxBody);
    server.createContext("/", gateway::handle);
    server.start();
    return gateway;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The OpenAI base URL clients use, such as {@code http://127.0.0.1:8787/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  @Override
  public void close() {
    Http.stop(server);
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      if (Http.isOverloaded()) {
        sendError(exchange, new GatewayError(503, "server_error", "overloaded",
            "the gateway is at capacity; retry shortly", java.time.Duration.ofSeconds(1)));
        return;
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
      String route = switch (path) {
        case "/v1/chat/completions", "/chat/completions" -> "chat";
        case "/v1/models", "/models" -> "models";
        case "/v1/responses", "/responses" -> "responses";
        default -> "";
      };
      boolean post = method.equals("POST");
      boolean get = method.equals("GET");
      switch (route) {
        case "chat" -> {
          if (post) chat(exchange); else methodNotAllowed(exchange, "POST");
        }
        case "models" -> {
          if (get) models(exchange); else methodNotAllowed(exchange, "GET");
        }
        case "responses" -> {
          if (post) responses(exchange); else methodNotAllowed(exchange, "POST");
        }
        default -> sendError(exchange, new GatewayError(404, "invalid_request_error", "unknown_url",
            "Unknown request URL: " + method + " " + path, null));
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
      LOG.log(System.Logger.Level.DEBUG, "client connection failed", e);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "gateway request failed", e);
      if (exchange.getResponseCode() == -1) {
        try {
          sendError(exchange, GatewayError.internal());
        } catch (IOException ignored) {
          // The client is gone too.
        }
      }
    }
  }

  private void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
    exchange.getResponseHeaders().set("Allow", allowed);
    sendError(exchange, new GatewayError(405, "invalid_request_error", "method_not_allowed",
        exchange.getRequestMethod() + " is not allowed here; use " + allowed, null));
  }

  /** The identity the fronting proxy vouches for, or anonymous. */
  static Caller caller(HttpExchange exchange) {
    String login = exchange.getRequestHeaders().getFirst(LOGIN_HEADER);
    if (login == null || login.isBlank()) return Caller.anonymous();
    return new Caller(login.strip(), names(exchange.getRequestHeaders().getFirst(GROUPS_HEADER), "group:"),
        names(exchange.getRequestHeaders().getFirst(TAGS_HEADER), "tag:"));
  }

  private static Set<String> names(@Nullable String header, String prefix) {
    Set<String> result = new LinkedHashSet<>();
    if (header == null) return result;
    for (String name : header.split(",")) {
      String trimmed = name.strip();
      if (trimmed.startsWith(prefix)) trimmed = trimmed.substring(prefix.length());
      if (!trimmed.isEmpty()) result.add(trimmed);
    }
    return result;
  }

  private @Nullable Buffer body(HttpExchange exchange) throws IOException {
    try {
      return Http.readBody(exchange, maxBody);
    } catch (Http.BodyTooLargeException e) {
      sendError(exchange, GatewayError.badRequest("request_too_large",
          "the request body is larger than the gateway's limit of " + maxBody + " bytes"));
      return null;
    }
  }

  private void chat(HttpExchange exchange) throws IOException {
    Buffer body = body(exchange);
    if (body == null) return;
    ParsedRequest parsed;
    try {
      parsed = OpenAiChatJson.readRequest(body);
    } catch (WireFormatException e) {
      sendError(exchange, GatewayError.badRequest("invalid_request", "invalid chat request: " + e.getMessage()));
      return;
    } catch (IOException | RuntimeException e) {
      sendError(exchange, GatewayError.badRequest("invalid_request",
          "invalid chat request: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())));
      return;
    }
    Caller caller = caller(exchange);
    if (parsed.stream()) {
      stream(exchange, caller, parsed);
      return;
    }
    ChatResponse response;
    try {
      response = router.chat(caller, parsed.request());
    } catch (ApertureException e) {
      sendError(exchange, GatewayError.of(e));
      return;
    }
    Buffer out = new Buffer();
    OpenAiChatJson.writeResponse(response, out);
    exchange.getResponseHeaders().set("X-Aperture-Provider", response.provider());
    Http.sendJson(exchange, 200, out.readUtf8());
  }

  /**
   * Forwards chunks as they arrive, one flushed SSE event each. Errors before the first byte are plain
   * JSON errors with their status; a failure mid-stream becomes an {@code error} event, then the end.
   */
  private void stream(HttpExchange exchange, Caller caller, ParsedRequest parsed) throws IOException {
    ChatStream stream;
    try {
      stream = router.stream(caller, parsed.request());
    } catch (ApertureException e) {
      sendError(exchange, GatewayError.of(e));
      return;
    }
    try (stream) {
      exchange.getResponseHeaders().set("X-Aperture-Provider", stream.provider());
      OutputStream out = Http.startEventStream(exchange);
      Buffer json = new Buffer();
      try {
        for (ChatChunk chunk : stream) {
          OpenAiChatJson.writeChunk(chunk, json);
          Http.sendEvent(out, "data: " + json.readUtf8());
        }
      } catch (StreamException e) {
        GatewayError error = GatewayError.of(e);
        Http.sendEvent(out, "data: " + error.toJson());
        return;
      } catch (ApertureException e) {
        Http.sendEvent(out, "data: " + GatewayError.of(e).toJson());
        return;
      } catch (RuntimeException e) {
        // The status is already 200: the client learns of a bug only from an error event.
        LOG.log(System.Logger.Level.WARNING, "stream failed in the gateway", e);
        Http.sendEvent(out, "data: " + GatewayError.internal().toJson());
        return;
      }
      Http.sendEvent(out, "data: [DONE]");
    }
    // Leaving the try closes the stream: when the client went away (an IOException from a write), that
    // cancels the upstream call too.
  }

  private void models(HttpExchange exchange) throws IOException {
    List<ModelInfo> models;
    try {
      models = router.models(caller(exchange));
    } catch (ApertureException e) {
      sendError(exchange, GatewayError.of(e));
      return;
    }
    List<Object> data = new ArrayList<>();
    for (ModelInfo model : models) {
      Map<String, @Nullable Object> entry = new LinkedHashMap<>();
      entry.put("id", model.id());
      entry.put("object", "model");
      entry.put("created", 0L);
      entry.put("owned_by", model.providerId());
      entry.put("provider", model.providerId());
      entry.put("provider_name", model.providerName());
      entry.put("model", model.model());
      entry.put("api_formats", model.apiFormats().stream().map(ApiFormat::wireName).sorted().toList());
      data.add(entry);
    }
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("object", "list");
    body.put("data", data);
    Http.sendJson(exchange, 200, Json.toJson(body));
  }

  private void responses(HttpExchange exchange) throws IOException {
    Buffer body = body(exchange);
    if (body == null) return;
    Object parsed;
    try {
      parsed = Json.read(body);
    } catch (IOException | RuntimeException e) {
      sendError(exchange, GatewayError.badRequest("invalid_request", "invalid JSON: " + e.getMessage()));
      return;
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      sendError(exchange, GatewayError.badRequest("invalid_request", "the request body must be a JSON object"));
      return;
    }
    if (!(map.get("model") instanceof String model) || model.isBlank()) {
      sendError(exchange, GatewayError.badRequest("invalid_request", "missing required field 'model'"));
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> fields = (Map<String, @Nullable Object>) map;
    Map<String, @Nullable Object> response;
    try {
      response = router.responses(caller(exchange), new ResponsesRequest(model, fields));
    } catch (ApertureException e) {
      sendError(exchange, GatewayError.of(e));
      return;
    }
    Http.sendJson(exchange, 200, Json.toJson(response));
  }

  private static void sendError(HttpExchange exchange, GatewayError error) throws IOException {
    String retryAfter = error.retryAfterHeader();
    if (retryAfter != null) exchange.getResponseHeaders().set("Retry-After", retryAfter);
    Http.sendJson(exchange, error.status(), error.toJson());
  }
}
