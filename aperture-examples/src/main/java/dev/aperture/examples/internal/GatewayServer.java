package dev.aperture.examples.internal;

import com.sun.net.httpserver.Headers;
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
import dev.aperture.internal.wire.OpenAiChatJson;
import dev.aperture.internal.wire.ParsedRequest;
import dev.aperture.internal.wire.WireFormatException;
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
 * <p>The caller is whoever the fronting authenticating proxy says in {@link #LOGIN_HEADER}: Tailscale
 * serve sets it for tailnet users and strips any copy the client sent. Without it the caller is anonymous
 * and only {@code "*"} grants apply. The gateway trusts that header, which is why it listens on loopback
 * only: put the proxy in front and nothing else. {@link #GROUPS_HEADER} and {@link #TAGS_HEADER} are
 * ignored unless {@link Options#trustGroupAndTagHeaders()}: no common proxy sets or strips them, so by
 * default any client could claim any group. A request with more than one value of an identity header the
 * gateway honours is refused with 400 rather than guessed at. Clients' own {@code Authorization} headers
 * and keys are ignored: the providers use their configured keys.
 *
 * <p>Handlers run on a bounded pool; when it is full, requests are answered 503 at once. How long a
 * client may take to send its request, or to read its response, is bounded by {@link Http}'s server
 * timeouts.
 */
public final class GatewayServer implements Closeable {
  private static final System.Logger LOG = System.getLogger(GatewayServer.class.getName());

  /** The caller's login, as Tailscale serve and similar proxies set it. */
  public static final String LOGIN_HEADER = "Tailscale-User-Login";
  /**
   * The caller's groups, comma-separated, with or without the {@code group:} prefix; honoured only with
   * {@link Options#trustGroupAndTagHeaders()}.
   */
  public static final String GROUPS_HEADER = "Aperture-User-Groups";
  /**
   * The caller's tags, comma-separated, with or without the {@code tag:} prefix; honoured only with
   * {@link Options#trustGroupAndTagHeaders()}.
   */
  public static final String TAGS_HEADER = "Aperture-User-Tags";
  /** Request bodies larger than this are refused with 400. */
  public static final long DEFAULT_MAX_BODY = 4L * 1024 * 1024;

  /**
   * How a gateway runs.
   *
   * @param maxBody request bodies larger than this many bytes are refused with 400
   * @param threads handler threads
   * @param queue requests waiting for a handler; beyond that they get 503 at once
   * @param trustGroupAndTagHeaders honour {@link #GROUPS_HEADER} and {@link #TAGS_HEADER}. Only when the
   *     proxy in front both sets these headers and strips any copy a client sent: otherwise any client
   *     gets the grants of whatever group it names.
   */
  public record Options(long maxBody, int threads, int queue, boolean trustGroupAndTagHeaders) {
    public Options {
      if (maxBody < 0) throw new IllegalArgumentException("maxBody < 0: " + maxBody);
      if (threads < 1) throw new IllegalArgumentException("threads < 1: " + threads);
      if (queue < 0) throw new IllegalArgumentException("queue < 0: " + queue);
    }

    /** 4 MiB bodies, 16 handlers, 64 queued, only the login header trusted. */
    public static Options defaults() {
      return new Options(DEFAULT_MAX_BODY, 16, 64, false);
    }

    public Options withMaxBody(long maxBody) {
      return new Options(maxBody, threads, queue, trustGroupAndTagHeaders);
    }

    public Options withThreads(int threads) {
      return new Options(maxBody, threads, queue, trustGroupAndTagHeaders);
    }

    public Options withQueue(int queue) {
      return new Options(maxBody, threads, queue, trustGroupAndTagHeaders);
    }

    public Options withTrustedGroupAndTagHeaders(boolean trust) {
      return new Options(maxBody, threads, queue, trust);
    }
  }

  private final HttpServer server;
  private final Router router;
  private final Options options;

  private GatewayServer(HttpServer server, Router router, Options options) {
    this.server = server;
    this.router = router;
    this.options = options;
  }

  /** Starts a gateway on 127.0.0.1:{@code port} (0 for a random port) with {@link Options#defaults()}. */
  public static GatewayServer start(Router router, int port) throws IOException {
    return start(router, port, Options.defaults());
  }

  public static GatewayServer start(Router router, int port, Options options) throws IOException {
    Objects.requireNonNull(router, "router == null");
    Objects.requireNonNull(options, "options == null");
    HttpServer server = Http.loopbackServer(port, options.threads(), options.queue(), "aperture-gateway");
    GatewayServer gateway = new GatewayServer(server, router, options);
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
      if (route.isEmpty()) {
        sendError(exchange, new GatewayError(404, "invalid_request_error", "unknown_url",
            "Unknown request URL: " + method + " " + path, null));
        return;
      }
      String allowed = route.equals("models") ? "GET" : "POST";
      if (!method.equals(allowed)) {
        methodNotAllowed(exchange, allowed);
        return;
      }
      Caller caller;
      try {
        caller = caller(exchange.getRequestHeaders(), options.trustGroupAndTagHeaders());
      } catch (AmbiguousIdentityException e) {
        sendError(exchange, GatewayError.badRequest("ambiguous_identity", e.getMessage()));
        return;
      }
      switch (route) {
        case "chat" -> chat(exchange, caller);
        case "models" -> models(exchange, caller);
        default -> responses(exchange, caller);
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

  /** The request names its caller more than one way; the gateway will not guess which is real. */
  static final class AmbiguousIdentityException extends Exception {
    AmbiguousIdentityException(String message) {
      super(message);
    }
  }

  /**
   * The identity the fronting proxy vouches for, or anonymous. Group and tag headers count only when
   * {@code trustGroupsAndTags}; otherwise they are ignored, since a client may have set them itself.
   */
  static Caller caller(Headers headers, boolean trustGroupsAndTags) throws AmbiguousIdentityException {
    String login = single(headers, LOGIN_HEADER);
    if (login != null && login.contains(",")) {
      // A proxy that appends to the client's header can fold both into one comma-separated line.
      throw new AmbiguousIdentityException("the " + LOGIN_HEADER + " header names more than one caller");
    }
    String groups = null;
    String tags = null;
    if (trustGroupsAndTags) {
      groups = single(headers, GROUPS_HEADER);
      tags = single(headers, TAGS_HEADER);
    } else if (headers.containsKey(GROUPS_HEADER) || headers.containsKey(TAGS_HEADER)) {
      LOG.log(System.Logger.Level.DEBUG, () -> "ignoring " + GROUPS_HEADER + "/" + TAGS_HEADER
          + ": the gateway was not told to trust them");
    }
    if (login == null || login.isBlank()) return Caller.anonymous();
    return new Caller(login.strip(), names(groups, "group:"), names(tags, "tag:"));
  }

  private static @Nullable String single(Headers headers, String name) throws AmbiguousIdentityException {
    List<String> values = headers.get(name);
    if (values == null || values.isEmpty()) return null;
    if (values.size() > 1) {
      throw new AmbiguousIdentityException("the request has " + values.size() + " " + name
          + " headers; an identity header must appear once");
    }
    return values.get(0);
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
    long maxBody = options.maxBody();
    try {
      return Http.readBody(exchange, maxBody);
    } catch (Http.BodyTooLargeException e) {
      sendError(exchange, GatewayError.badRequest("request_too_large",
          "the request body is larger than the gateway's limit of " + maxBody + " bytes"));
      return null;
    }
  }

  private void chat(HttpExchange exchange, Caller caller) throws IOException {
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

  private void models(HttpExchange exchange, Caller caller) throws IOException {
    List<ModelInfo> models;
    try {
      models = router.models(caller);
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

  private void responses(HttpExchange exchange, Caller caller) throws IOException {
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
      response = router.responses(caller, new ResponsesRequest(model, fields));
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
