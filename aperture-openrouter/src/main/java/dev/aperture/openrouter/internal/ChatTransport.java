package dev.aperture.openrouter.internal;

import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ProviderException;
import dev.aperture.wire.OpenAiChatJson;
import dev.aperture.wire.WireFormatException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Sends chat-completions calls over OkHttp: one request per attempt, the status and body turned into a
 * {@link ChatResponse}, a {@link ChatStream} or a typed error. Retries are the {@link RetryExecutor}'s;
 * the JSON is {@link OpenAiChatJson}'s and {@link OpenRouterErrors}'.
 */
public final class ChatTransport {
  private static final MediaType JSON = MediaType.get("application/json");
  /** Error bodies are read up to this size; a message needs only their start. */
  private static final long MAX_ERROR_BODY = 64 * 1024;

  private final String providerId;
  private final OkHttpClient client;
  private final HttpUrl chatUrl;
  private final Headers headers;
  private final OpenRouterErrors errors;
  private final RetryExecutor retries;

  public ChatTransport(String providerId, OkHttpClient client, HttpUrl chatUrl, Headers headers,
      OpenRouterErrors errors, RetryExecutor retries) {
    this.providerId = providerId;
    this.client = client;
    this.chatUrl = chatUrl;
    this.headers = headers;
    this.errors = errors;
    this.retries = retries;
  }

  public ChatResponse chat(ChatRequest request) {
    Request httpRequest = httpRequest(request, false);
    return retries.execute(remaining -> {
      Call call = newCall(httpRequest, remaining);
      Response response;
      try {
        response = call.execute();
      } catch (IOException e) {
        throw errors.connectionFailure(e, true, call.isCanceled(), chatUrl.host());
      }
      try (response) {
        return readChatResponse(call, response);
      }
    });
  }

  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    Request httpRequest = httpRequest(request, false);
    return retries.executeAsync(remaining -> {
      Call call = newCall(httpRequest, remaining);
      CompletableFuture<ChatResponse> future = new CompletableFuture<>();
      future.whenComplete((value, failure) -> {
        if (future.isCancelled()) call.cancel();
      });
      call.enqueue(new Callback() {
        @Override
        public void onFailure(Call call, IOException e) {
          future.completeExceptionally(
              errors.connectionFailure(e, true, call.isCanceled(), chatUrl.host()));
        }

        @Override
        public void onResponse(Call call, Response response) {
          try (response) {
            future.complete(readChatResponse(call, response));
          } catch (RuntimeException e) {
            future.completeExceptionally(e);
          }
        }
      });
      return future;
    });
  }

  /** Starts a streamed call, retrying until the response headers arrive with a success status. */
  public ChatStream stream(ChatRequest request) {
    Request httpRequest = httpRequest(request, true);
    return retries.execute(remaining -> {
      // No call timeout here: it would also bound reading the stream, which may run for minutes.
      Call call = client.newCall(httpRequest);
      Response response;
      try {
        response = call.execute();
      } catch (IOException e) {
        throw errors.connectionFailure(e, true, call.isCanceled(), chatUrl.host());
      }
      try {
        if (!response.isSuccessful()) throw httpError(response);
        MediaType type = response.body().contentType();
        if (type != null && "json".equals(type.subtype())) {
          // Not an event stream: an error object instead of a stream, or a server that ignored stream.
          throw notAStream(call, response);
        }
        return ChatStream.of(providerId, new SseChunkSource(call, response, errors));
      } catch (RuntimeException e) {
        response.close();
        throw e;
      }
    });
  }

  private ProviderException notAStream(Call call, Response response) {
    ChatResponse parsed = readChatResponse(call, response);
    return errors.malformed(response.code(), "", "a complete JSON response (model " + parsed.model()
        + ") where an event stream was asked for", null);
  }

  private ChatResponse readChatResponse(Call call, Response response) {
    if (!response.isSuccessful()) throw httpError(response);
    Buffer body = new Buffer();
    try {
      body.writeAll(response.body().source());
    } catch (IOException e) {
      throw errors.connectionFailure(e, false, call.isCanceled(), chatUrl.host());
    }
    Buffer backup = body.copy(); // Shares segments: kept only to quote a body that fails to parse.
    ChatResponse result;
    try {
      result = OpenAiChatJson.readResponse(body, providerId, response.header("X-Generation-Id"));
    } catch (WireFormatException e) {
      throw errors.malformed(response.code(), excerpt(backup), e);
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does no I/O.
    }
    Object error = result.extra().get("error");
    if (error != null) throw errors.errorIn200(error, response.headers(), excerpt(backup));
    if (result.choices().isEmpty()) {
      throw errors.malformed(response.code(), excerpt(backup), "a response without choices", null);
    }
    return result;
  }

  private ProviderException httpError(Response response) {
    String body = "";
    ResponseBody responseBody = response.body();
    try {
      BufferedSource source = responseBody.source();
      source.request(MAX_ERROR_BODY);
      Buffer buffer = source.getBuffer();
      body = buffer.readUtf8(Math.min(buffer.size(), MAX_ERROR_BODY));
    } catch (IOException | RuntimeException e) {
      // The status alone still says what went wrong.
    }
    return errors.httpError(response.code(), response.headers(), body);
  }

  private Request httpRequest(ChatRequest request, boolean stream) {
    Buffer body = new Buffer();
    try {
      OpenAiChatJson.writeRequest(request, stream, body);
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does no I/O.
    }
    return new Request.Builder()
        .url(chatUrl)
        .headers(headers)
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .post(RequestBody.create(body.readByteString(), JSON))
        .build();
  }

  private Call newCall(Request request, Duration remaining) {
    Call call = client.newCall(request);
    long configured = client.callTimeoutMillis();
    long remainingMillis = Math.max(1, remaining.toMillis());
    if (configured == 0 || remainingMillis < configured) {
      call.timeout().timeout(remainingMillis, TimeUnit.MILLISECONDS);
    }
    return call;
  }

  private static String excerpt(Buffer body) {
    return body.snapshot((int) Math.min(body.size(), 2 * ProviderException.MAX_EXCERPT)).utf8();
  }
}
