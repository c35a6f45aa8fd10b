package dev.aperture.openrouter.internal;

import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ProviderException;
import dev.aperture.internal.wire.OpenAiChatJson;
import dev.aperture.internal.wire.WireFormatException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.jspecify.annotations.Nullable;

/**
 * Sends chat-completions calls over OkHttp: exactly one request per call (retries are the core's), the
 * status and body turned into a {@link ChatResponse}, a {@link ChatStream} or a typed error. The JSON is
 * {@link OpenAiChatJson}'s and {@link OpenRouterErrors}'.
 *
 * <p>Each call honours its request's {@link ChatRequest#headers()} (added to the provider's own, never
 * replacing the credential) and {@link ChatRequest#timeout()}: it bounds the whole non-streamed call, and a
 * stream until its response headers have arrived (the core bounds the wait for its first content).
 */
public final class ChatTransport {
  private static final System.Logger LOG = System.getLogger(ChatTransport.class.getName());
  private static final MediaType JSON = MediaType.get("application/json");
  /** Error bodies are read up to this size; a message needs only their start. */
  private static final long MAX_ERROR_BODY = 64 * 1024;
  /** Headers a call may not set: they frame the request, and the body is ours. */
  private static final Set<String> FRAMING = Set.of("host", "content-length", "content-type",
      "transfer-encoding", "connection", "accept", "accept-encoding");

  private static final int WAITING = 0;
  private static final int STARTED = 1;
  private static final int TIMED_OUT = 2;

  private final String providerId;
  private final OkHttpClient client;
  private final HttpUrl chatUrl;
  private final Headers headers;
  private final String credentialHeader;
  private final OpenRouterErrors errors;

  public ChatTransport(String providerId, OkHttpClient client, HttpUrl chatUrl, Headers headers,
      String credentialHeader, OpenRouterErrors errors) {
    this.providerId = providerId;
    this.client = client;
    this.chatUrl = chatUrl;
    this.headers = headers;
    this.credentialHeader = credentialHeader.toLowerCase(Locale.ROOT);
    this.errors = errors;
  }

  public ChatResponse chat(ChatRequest request) {
    OpenRouterErrors errors = this.errors.forCall(request.headers());
    Call call = newCall(httpRequest(request, false), request.timeout());
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      throw errors.connectionFailure(e, true, call.isCanceled(), chatUrl.host());
    }
    try (response) {
      return readChatResponse(call, response, errors);
    }
  }

  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    OpenRouterErrors errors = this.errors.forCall(request.headers());
    Call call = newCall(httpRequest(request, false), request.timeout());
    CompletableFuture<ChatResponse> future = new CompletableFuture<>();
    future.whenComplete((value, failure) -> {
      if (future.isCancelled()) call.cancel();
    });
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        future.completeExceptionally(errors.connectionFailure(e, true, call.isCanceled(), chatUrl.host()));
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          future.complete(readChatResponse(call, response, errors));
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      }
    });
    return future;
  }

  /** Starts a streamed call: returns once the response headers arrived with a success status. */
  public ChatStream stream(ChatRequest request) {
    OpenRouterErrors errors = this.errors.forCall(request.headers());
    // No call timeout: it would also bound reading the stream, which may run for minutes. A watchdog
    // bounds the wait for the headers instead, and stands down once they are here.
    Call call = client.newCall(httpRequest(request, true));
    AtomicInteger state = new AtomicInteger(WAITING);
    ScheduledFuture<?> watchdog = null;
    Duration timeout = request.timeout();
    if (timeout != null) {
      watchdog = Watchdog.EXECUTOR.schedule(() -> {
        if (state.compareAndSet(WAITING, TIMED_OUT)) call.cancel();
      }, Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }
    Response response;
    try {
      response = call.execute();
    } catch (IOException e) {
      boolean timedOut = state.get() == TIMED_OUT;
      throw errors.connectionFailure(timedOut ? timeout(timeout, e) : e, true, call.isCanceled(),
          timedOut || isTimeout(e), chatUrl.host());
    } finally {
      if (watchdog != null) watchdog.cancel(false);
    }
    if (!state.compareAndSet(WAITING, STARTED)) {
      // The watchdog fired as the headers arrived: the attempt's time is up all the same.
      response.close();
      throw errors.connectionFailure(timeout(timeout, null), true, true, true, chatUrl.host());
    }
    try {
      if (!response.isSuccessful()) throw httpError(response, errors);
      MediaType type = response.body().contentType();
      if (type != null && "json".equals(type.subtype())) {
        // Not an event stream: an error object instead of a stream, or a server that ignored stream.
        throw notAStream(call, response, errors);
      }
      return ChatStream.of(providerId, new SseChunkSource(call, response, errors));
    } catch (RuntimeException e) {
      response.close();
      throw e;
    }
  }

  private static boolean isTimeout(IOException e) {
    return e instanceof java.net.SocketTimeoutException
        || e instanceof InterruptedIOException && "timeout".equals(e.getMessage());
  }

  private static InterruptedIOException timeout(@Nullable Duration timeout, @Nullable IOException cause) {
    InterruptedIOException e = new InterruptedIOException("no response headers within "
        + (timeout != null ? timeout.toMillis() + " ms" : "the attempt's time"));
    if (cause != null) e.initCause(cause);
    return e;
  }

  private ProviderException notAStream(Call call, Response response, OpenRouterErrors errors) {
    ChatResponse parsed = readChatResponse(call, response, errors);
    return errors.malformed(response.code(), "", "a complete JSON response (model " + parsed.model()
        + ") where an event stream was asked for", null);
  }

  private ChatResponse readChatResponse(Call call, Response response, OpenRouterErrors errors) {
    if (!response.isSuccessful()) throw httpError(response, errors);
    Buffer body = new Buffer();
    try {
      body.writeAll(response.body().source());
    } catch (IOException e) {
      throw errors.connectionFailure(e, false, call.isCanceled(), chatUrl.host());
    }
    Buffer backup = body.copy(); // Shares segments: kept only to quote a body that fails to parse.
    String generationId = response.header("X-Generation-Id");
    ChatResponse result;
    try {
      result = OpenAiChatJson.readResponse(body, providerId, generationId);
    } catch (WireFormatException e) {
      throw errors.malformed(response.code(), backup.readUtf8(), e);
    } catch (IOException e) {
      throw new AssertionError(e); // A Buffer does no I/O.
    }
    Object error = result.extra().get("error");
    if (error != null) throw errors.errorIn200(error, response.headers(), backup.readUtf8());
    if (result.choices().isEmpty()) {
      throw errors.malformed(response.code(), backup.readUtf8(), "a response without choices", null);
    }
    if (generationId == null && !result.id().isEmpty()) {
      // OpenRouter's generation id is the completion's id; the header only repeats it.
      result = result.newBuilder().generationId(result.id()).build();
    }
    return result;
  }

  private ProviderException httpError(Response response, OpenRouterErrors errors) {
    String body = "";
    ResponseBody responseBody = response.body();
    try {
      BufferedSource source = responseBody.source();
      boolean more = source.request(MAX_ERROR_BODY + 1);
      Buffer buffer = source.getBuffer();
      body = buffer.readUtf8(Math.min(buffer.size(), MAX_ERROR_BODY));
      if (more) body = errors.cutBody(body);
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
        .headers(callHeaders(request.headers()))
        .header("Accept", stream ? "text/event-stream" : "application/json")
        .post(RequestBody.create(body.readByteString(), JSON))
        .build();
  }

  /** The provider's headers plus the call's, which may add but never replace the credential. */
  private Headers callHeaders(Map<String, String> extra) {
    if (extra.isEmpty()) return headers;
    Headers.Builder result = headers.newBuilder();
    for (Map.Entry<String, String> header : extra.entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.equals(credentialHeader) || FRAMING.contains(name)) {
        LOG.log(System.Logger.Level.DEBUG, () -> "provider '" + providerId + "': ignoring call header "
            + header.getKey() + ", which the provider sets itself");
        continue;
      }
      // ChatRequest already refused control characters; non-ASCII text is the sender's business.
      result.addUnsafeNonAscii(header.getKey(), header.getValue());
    }
    return result.build();
  }

  private Call newCall(Request request, @Nullable Duration timeout) {
    Call call = client.newCall(request);
    if (timeout != null) {
      long configured = client.callTimeoutMillis();
      long millis = Math.max(1, timeout.toMillis());
      if (configured == 0 || millis < configured) call.timeout().timeout(millis, TimeUnit.MILLISECONDS);
    }
    return call;
  }

  /** One daemon thread that cancels streams whose headers are late; cancelled tasks leave its queue. */
  private static final class Watchdog {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "aperture-openrouter-watchdog");
        thread.setDaemon(true);
        return thread;
      });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
