package dev.aperture.gateway.internal;

import dev.aperture.ApertureException;
import dev.aperture.ApiFormat;
import dev.aperture.CallOptions;
import dev.aperture.Caller;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ModelInfo;
import dev.aperture.ResponsesRequest;
import dev.aperture.Router;
import dev.aperture.internal.wire.ParsedRequest;
import dev.aperture.internal.wire.WireFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * What each endpoint does. {@link #dispatch} runs on the event loop and does only cheap work (path,
 * method, identity headers); everything that calls the Router or parses a body runs on a worker.
 */
final class Calls {
  private static final System.Logger LOG = System.getLogger(Calls.class.getName());

  private final NettyGateway server;
  private final GatewaySettings settings;
  private final Router router;

  Calls(NettyGateway server, GatewaySettings settings) {
    this.server = server;
    this.settings = settings;
    this.router = settings.router();
  }

  /** Takes ownership of {@code body}. */
  void dispatch(Exchange exchange, HttpRequest request, ByteBuf body) {
    boolean bodyHandedOver = false;
    try {
      String uri = request.uri();
      int query = uri.indexOf('?');
      String path = query >= 0 ? uri.substring(0, query) : uri;
      if (path.length() > 1 && path.endsWith("/")) path = path.substring(0, path.length() - 1);
      HttpMethod method = request.method();
      String route = switch (path) {
        case "/v1/chat/completions", "/chat/completions" -> "chat";
        case "/v1/models", "/models" -> "models";
        case "/v1/responses", "/responses" -> "responses";
        case "/healthz" -> "health";
        default -> "";
      };
      if (route.isEmpty()) {
        exchange.sendError(new GatewayError(404, "invalid_request_error", "unknown_url",
            "Unknown request URL: " + method + " " + path, null));
        return;
      }
      HttpMethod allowed = route.equals("models") || route.equals("health") ? HttpMethod.GET : HttpMethod.POST;
      if (!method.equals(allowed)) {
        exchange.sendError(new GatewayError(405, "invalid_request_error", "method_not_allowed",
            method + " is not allowed here; use " + allowed, null), "Allow", allowed.name());
        return;
      }
      if (route.equals("health")) {
        boolean up = !server.isDraining();
        exchange.send(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
            Wire.json(Map.of("status", up ? "ok" : "stopping"), exchange.alloc()),
            HttpHeaderValues.APPLICATION_JSON, null);
        return;
      }
      if (server.isDraining()) {
        exchange.sendError(GatewayError.unavailable("shutting_down", "the gateway is shutting down; retry shortly"));
        return;
      }
      Caller caller;
      try {
        caller = Identity.caller(request.headers(), settings.trustGroupAndTagHeaders());
      } catch (Identity.AmbiguousIdentityException e) {
        exchange.sendError(GatewayError.badRequest("ambiguous_identity", String.valueOf(e.getMessage())));
        return;
      }
      CallOptions options = options(request);
      Runnable task = switch (route) {
        case "chat" -> () -> chat(exchange, caller, options, body);
        case "responses" -> () -> responses(exchange, caller, body);
        default -> () -> models(exchange, caller);
      };
      if (!route.equals("models")) bodyHandedOver = true;
      try {
        server.workers().execute(task);
      } catch (RejectedExecutionException e) {
        bodyHandedOver = false;
        exchange.sendError(GatewayError.unavailable("overloaded", "the gateway is at capacity; retry shortly"));
      }
    } finally {
      if (!bodyHandedOver) body.release();
    }
  }

  /** What the Router's pipeline passes to hooks: the client's user agent, session and the URL it called. */
  private CallOptions options(HttpRequest request) {
    HttpHeaders headers = request.headers();
    CallOptions.Builder options = CallOptions.builder();
    String userAgent = headers.get(HttpHeaderNames.USER_AGENT);
    if (userAgent != null) options.userAgent(userAgent);
    String session = headers.get(settings.sessionHeader());
    if (session != null) options.sessionId(session);
    String host = headers.get(HttpHeaderNames.HOST);
    if (host != null) {
      // Behind tailscale serve the client called https; the proxy says so in X-Forwarded-Proto.
      String scheme = headers.get("X-Forwarded-Proto");
      options.url((scheme != null && scheme.equals("https") ? "https" : "http") + "://" + host + request.uri());
    } else {
      options.url(request.uri());
    }
    return options.build();
  }

  private void chat(Exchange exchange, Caller caller, CallOptions options, ByteBuf body) {
    try {
      ParsedRequest parsed;
      try {
        parsed = Wire.readChatRequest(body);
      } catch (WireFormatException e) {
        exchange.sendError(GatewayError.badRequest("invalid_request", "invalid chat request: " + e.getMessage()));
        return;
      } catch (IOException | RuntimeException e) {
        exchange.sendError(GatewayError.badRequest("invalid_request", "invalid chat request: "
            + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())));
        return;
      } finally {
        body.release();
      }
      if (parsed.stream()) {
        stream(exchange, caller, options, parsed);
        return;
      }
      ChatResponse response;
      try {
        // The call's deadline is the gateway's response limit: when the 504 goes out, the call ends too
        // (once the Router honours per-call deadlines).
        response = router.chat(caller, parsed.request(), options.newBuilder().timeout(settings.responseTimeout()).build());
      } catch (ApertureException e) {
        exchange.sendError(GatewayError.of(e));
        return;
      }
      exchange.send(HttpResponseStatus.OK, Wire.writeResponse(response, exchange.alloc()),
          HttpHeaderValues.APPLICATION_JSON, response.provider());
    } catch (RuntimeException e) {
      failed(exchange, e);
    }
  }

  private void stream(Exchange exchange, Caller caller, CallOptions options, ParsedRequest parsed) {
    if (server.streams.incrementAndGet() > settings.maxConcurrentStreams()) {
      server.streams.decrementAndGet();
      exchange.sendError(GatewayError.unavailable("too_many_streams",
          "the gateway is serving its limit of " + settings.maxConcurrentStreams() + " streams; retry shortly"));
      return;
    }
    ChatStream stream;
    try {
      stream = router.stream(caller, parsed.request(), options);
    } catch (ApertureException e) {
      server.streams.decrementAndGet();
      exchange.sendError(GatewayError.of(e));
      return;
    } catch (RuntimeException e) {
      server.streams.decrementAndGet();
      throw e;
    }
    StreamPump pump = new StreamPump(exchange, stream, server.workers(), settings, server.streams::decrementAndGet);
    if (!exchange.startStream(pump, stream.provider())) {
      pump.cancel(); // Timed out or the client left while the stream was being opened.
      return;
    }
    if (!exchange.channel().isActive()) {
      pump.cancel();
      return;
    }
    pump.run();
  }

  private void models(Exchange exchange, Caller caller) {
    try {
      List<ModelInfo> models;
      try {
        models = router.models(caller);
      } catch (ApertureException e) {
        exchange.sendError(GatewayError.of(e));
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
      exchange.send(HttpResponseStatus.OK, Wire.json(body, exchange.alloc()), HttpHeaderValues.APPLICATION_JSON, null);
    } catch (RuntimeException e) {
      failed(exchange, e);
    }
  }

  private void responses(Exchange exchange, Caller caller, ByteBuf body) {
    try {
      Object parsed;
      try {
        parsed = Wire.readValue(body);
      } catch (IOException | RuntimeException e) {
        exchange.sendError(GatewayError.badRequest("invalid_request", "invalid JSON: " + e.getMessage()));
        return;
      } finally {
        body.release();
      }
      if (!(parsed instanceof Map<?, ?> map)) {
        exchange.sendError(GatewayError.badRequest("invalid_request", "the request body must be a JSON object"));
        return;
      }
      if (!(map.get("model") instanceof String model) || model.isBlank()) {
        exchange.sendError(GatewayError.badRequest("invalid_request", "missing required field 'model'"));
        return;
      }
      @SuppressWarnings("unchecked")
      Map<String, @Nullable Object> fields = (Map<String, @Nullable Object>) map;
      Map<String, @Nullable Object> response;
      try {
        response = router.responses(caller, new ResponsesRequest(model, fields));
      } catch (ApertureException e) {
        exchange.sendError(GatewayError.of(e));
        return;
      }
      exchange.send(HttpResponseStatus.OK, Wire.json(response, exchange.alloc()), HttpHeaderValues.APPLICATION_JSON, null);
    } catch (RuntimeException e) {
      failed(exchange, e);
    }
  }

  private void failed(Exchange exchange, RuntimeException e) {
    LOG.log(System.Logger.Level.WARNING, "gateway request failed: " + settings.redactor().redact(String.valueOf(e)));
    if (!exchange.sendError(GatewayError.internal())) exchange.channel().close();
  }
}
