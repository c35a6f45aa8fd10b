package dev.aperture.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.ApiFormat;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.ChunkSource;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Provider;
import dev.aperture.ProviderException;
import dev.aperture.ProviderFactory;
import dev.aperture.RateLimitedException;
import dev.aperture.RetryPolicy;
import dev.aperture.Router;
import dev.aperture.Usage;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.ProviderConfig;
import dev.aperture.internal.wire.OpenAiChatJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's HTTP behaviour over a real Router whose provider is scripted in-process, so streams can
 * be paced chunk by chunk and failures injected exactly. The examples' GatewayEndToEndTest puts the real
 * OpenRouter provider and a MockWebServer behind it.
 */
final class ApertureGatewayTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String CONFIG = """
      {
        "providers": {"fake": {"baseurl": "http://127.0.0.1:9/", "apikey": "k", "models": ["m/one", "m/two"]}},
        "grants": [
          {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["fake/m/one"]}]}},
          {"src": ["alice@example.com", "group:eng"],
           "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["fake/**"]}]}},
        ],
      }""";

  private final ScriptedProvider provider = new ScriptedProvider();
  private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
  private ApertureGateway gateway;

  @BeforeEach
  void setUp() throws IOException {
    gateway = start(builder().maxBodySize(64 * 1024).workerThreads(4).maxQueuedCalls(8));
  }

  private ApertureGateway.Builder builder() {
    Router router = Router.builder()
        .config(ApertureConfig.parse(CONFIG, "test.hujson", name -> null))
        .addProviderFactory(fakeFactory())
        // These tests are about what the gateway passes on (a 429 and its Retry-After), not the Router's retries.
        .retryPolicy(RetryPolicy.none())
        .build();
    return ApertureGateway.builder().router(router).port(0);
  }

  private static ApertureGateway start(ApertureGateway.Builder builder) throws IOException {
    ApertureGateway gateway = builder.build();
    gateway.start();
    return gateway;
  }

  @AfterEach
  void tearDown() {
    gateway.shutdown(Duration.ZERO);
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private void restart(ApertureGateway.Builder builder) throws IOException {
    gateway.shutdown(Duration.ZERO);
    gateway = start(builder);
  }

  private ProviderFactory fakeFactory() {
    return new ProviderFactory() {
      @Override
      public String type() {
        return "fake";
      }

      @Override
      public Provider create(ProviderConfig config) {
        return provider;
      }
    };
  }

  private Response post(String path, String body, String... headers) throws IOException {
    Request.Builder request = new Request.Builder().url(gateway.baseUrl() + path).post(RequestBody.create(body, JSON));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return client.newCall(request.build()).execute();
  }

  private Response get(String path, String... headers) throws IOException {
    Request.Builder request = new Request.Builder().url(gateway.baseUrl() + path);
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return client.newCall(request.build()).execute();
  }

  private static Map<?, ?> json(Response response) throws IOException {
    return (Map<?, ?>) OpenAiChatJson.readValue(new Buffer().writeUtf8(response.body().string()));
  }

  private static Map<?, ?> error(Response response) throws IOException {
    return (Map<?, ?>) json(response).get("error");
  }

  @Test
  void answersAChatCallInOpenAisShape() throws IOException {
    try (Response response = post("/chat/completions",
        "{\"model\":\"m/one\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Type")).isEqualTo("application/json");
      assertThat(response.header("X-Aperture-Provider")).isEqualTo("fake");
      assertThat(response.header("Date")).endsWith(" GMT");
      Map<?, ?> body = json(response);
      Map<?, ?> message = (Map<?, ?>) ((Map<?, ?>) ((List<?>) body.get("choices")).get(0)).get("message");
      assertThat(message.get("content")).isEqualTo("echo: hi");
    }
    assertThat(provider.requests).hasSize(1);
    assertThat(provider.requests.get(0).model()).isEqualTo("m/one");
  }

  @Test
  void passesEveryFieldTheClientSentToTheProvider() throws IOException {
    try (Response response = post("/chat/completions", """
        {"model":"m/one","messages":[{"role":"user","content":"hi"}],"temperature":0.2,
         "provider":{"order":["Alibaba"],"allow_fallbacks":false},"x_unknown":[1,{"deep":null}],
         "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}""")) {
      assertThat(response.code()).isEqualTo(200);
    }
    ChatRequest received = provider.requests.get(0);
    assertThat(received.temperature()).isEqualTo(0.2);
    assertThat(received.parameters()).containsOnlyKeys("provider", "x_unknown", "tools");
    assertThat(received.parameter("provider")).isEqualTo(Map.of("order", List.of("Alibaba"), "allow_fallbacks", false));
    assertThat(received.parameter("x_unknown")).isEqualTo(List.of(1L, java.util.Collections.singletonMap("deep", null)));
  }

  @Test
  void forwardsStreamChunksAsTheyArriveNotAtTheEnd() throws Exception {
    // The Router answers a stream once its first content is there (it may fail over until then), so the
    // response begins with the first chunk; each later one is released only after the last was read.
    // A buffering gateway would block here until the read timeout.
    provider.pending.put(textChunk("Hel", null));
    try (Response response = post("/chat/completions",
        "{\"model\":\"m/one\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Type")).isEqualTo("text/event-stream");
      BufferedSource source = response.body().source();
      assertThat(source.readUtf8Line()).startsWith("data: {").contains("\"content\":\"Hel\"");
      assertThat(source.readUtf8Line()).isEmpty();
      provider.pending.put(textChunk("lo", FinishReason.STOP));
      provider.pending.put(END);
      assertThat(source.readUtf8Line()).contains("\"content\":\"lo\"").contains("\"finish_reason\":\"stop\"");
      assertThat(source.readUtf8Line()).isEmpty();
      assertThat(source.readUtf8Line()).isEqualTo("data: [DONE]");
      assertThat(source.readUtf8Line()).isEmpty();
      assertThat(source.exhausted()).isTrue();
    }
  }

  @Test
  void endsAStreamThatFailsMidwayWithAnErrorEvent() throws Exception {
    provider.pending.put(textChunk("partial", null));
    provider.pending.put(ProviderException.builder("fake").message("upstream went away").errorCode("502").build());
    try (Response response = post("/chat/completions",
        "{\"model\":\"m/one\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
      String body = response.body().string();
      assertThat(body).contains("\"content\":\"partial\"");
      String last = body.strip().lines().reduce((a, b) -> b).orElseThrow();
      assertThat(last).startsWith("data: {\"error\":").contains("upstream went away");
      assertThat(body).doesNotContain("[DONE]");
    }
    assertThat(provider.cancelled).isTrue();
  }

  @Test
  void aClientThatHangsUpMidStreamCancelsTheUpstreamCall() throws Exception {
    provider.pending.put(textChunk("first", null));
    Response response = post("/chat/completions",
        "{\"model\":\"m/one\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(response.body().source().readUtf8Line()).contains("\"content\":\"first\"");
    response.close(); // The client goes away.
    // The gateway notices on its next writes; keep the provider producing until it is cancelled.
    for (int i = 0; i < 50 && !provider.cancelledLatch.await(100, TimeUnit.MILLISECONDS); i++) {
      provider.pending.put(textChunk("more", null));
    }
    assertThat(provider.cancelled).isTrue();
  }

  @Test
  void answers503AtOnceWhenEveryHandlerIsBusyAndTheQueueIsFull() throws Exception {
    restart(builder().maxBodySize(64 * 1024).workerThreads(1).maxQueuedCalls(1));
    String streamed = "{\"model\":\"m/one\",\"stream\":true,\"messages\":[]}";
    // The only handler thread waits in a stream (begun with its first content); one more request fits in
    // the queue.
    provider.pending.put(textChunk("working", null));
    Response busy = post("/chat/completions", streamed);
    List<java.util.concurrent.CompletableFuture<String>> probes = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      java.util.concurrent.CompletableFuture<String> result = new java.util.concurrent.CompletableFuture<>();
      client.newCall(new Request.Builder().url(gateway.baseUrl() + "/models").build()).enqueue(new okhttp3.Callback() {
        @Override
        public void onFailure(okhttp3.Call call, IOException e) {
          result.completeExceptionally(e);
        }

        @Override
        public void onResponse(okhttp3.Call call, Response response) {
          try (response) {
            result.complete(response.code() + " " + response.header("Retry-After"));
          }
        }
      });
      probes.add(result);
    }
    // Nothing can finish before the stream does except a refusal: the first answer is a 503.
    Object first = java.util.concurrent.CompletableFuture.anyOf(probes.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
        .get(10, TimeUnit.SECONDS);
    assertThat(first).isEqualTo("503 1");
    provider.pending.put(textChunk("done", FinishReason.STOP));
    provider.pending.put(END);
    try (busy) {
      assertThat(busy.body().string()).endsWith("data: [DONE]\n\n");
    }
    List<String> statuses = new java.util.ArrayList<>();
    for (java.util.concurrent.CompletableFuture<String> probe : probes) statuses.add(probe.get(10, TimeUnit.SECONDS));
    // The queued request was served once the handler was free; later ones may have been refused or
    // served, depending on when they arrived.
    assertThat(statuses).contains("200 null", "503 1").containsOnly("200 null", "503 1");
  }

  @Test
  void answersClientsThatStallMidRequestWith408AndServesOthersMeanwhile() throws Exception {
    restart(builder().workerThreads(1).maxQueuedCalls(1).requestTimeout(Duration.ofSeconds(1)));
    List<Socket> stalled = new java.util.ArrayList<>();
    try {
      // More stalled clients than workers and queue together: on the JDK server they held every handler.
      for (int i = 0; i < 3; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
        stalled.add(socket);
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":").getBytes(US_ASCII));
        socket.getOutputStream().flush();
      }
      try (Response response = get("/models")) {
        assertThat(response.code()).isEqualTo(200);
      }
      // Each stalled connection is answered 408 and closed by the server: reading reaches the end.
      for (Socket socket : stalled) {
        assertThat(readToEnd(socket, 64 * 1024)).startsWith("HTTP/1.1 408 ").contains("\"code\":\"request_timeout\"");
      }
    } finally {
      for (Socket socket : stalled) socket.close();
    }
  }

  /** Reads until the peer closes; throws SocketTimeoutException if it does not within the timeout. */
  private static String readToEnd(Socket socket, int limit) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; out.size() < limit && (n = socket.getInputStream().read(buffer)) != -1; ) out.write(buffer, 0, n);
    } catch (java.net.SocketException reset) {
      // A reset is a close too.
    }
    return out.toString(US_ASCII);
  }

  @Test
  void listsOnlyTheModelsTheCallerMayUse() throws IOException {
    try (Response response = get("/models")) {
      List<?> data = (List<?>) json(response).get("data");
      assertThat(data).hasSize(1);
      Map<?, ?> model = (Map<?, ?>) data.get(0);
      assertThat(model.get("id")).isEqualTo("fake/m/one");
      assertThat(model.get("object")).isEqualTo("model");
      assertThat(model.get("provider")).isEqualTo("fake");
      assertThat(model.get("api_formats")).isEqualTo(List.of("openai_chat"));
    }
    try (Response response = get("/models", "Tailscale-User-Login", "alice@example.com")) {
      List<?> data = (List<?>) json(response).get("data");
      assertThat(data.stream().map(m -> ((Map<?, ?>) m).get("id")).toList())
          .isEqualTo(List.of("fake/m/one", "fake/m/two"));
    }
  }

  @Test
  void unknownAndUngrantedModelsAreBoth404WithTheSameMessage() throws IOException {
    Map<?, ?> unknown;
    try (Response response = post("/chat/completions", "{\"model\":\"m/three\",\"messages\":[]}")) {
      assertThat(response.code()).isEqualTo(404);
      unknown = error(response);
    }
    Map<?, ?> ungranted;
    try (Response response = post("/chat/completions", "{\"model\":\"m/two\",\"messages\":[]}")) {
      assertThat(response.code()).isEqualTo(404);
      ungranted = error(response);
    }
    assertThat(unknown.get("code")).isEqualTo("model_not_found").isEqualTo(ungranted.get("code"));
    assertThat(unknown.get("type")).isEqualTo("invalid_request_error");
    assertThat(ungranted.get("message")).isEqualTo("The model 'm/two' does not exist or you do not have access to it.");
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void takesTheCallerFromTheLoginHeader() throws IOException {
    try (Response response = post("/chat/completions", "{\"model\":\"m/two\",\"messages\":[]}",
        "Tailscale-User-Login", "alice@example.com")) {
      assertThat(response.code()).isEqualTo(200);
    }
    try (Response response = post("/chat/completions", "{\"model\":\"m/two\",\"messages\":[]}",
        "Tailscale-User-Login", "bob@example.com")) {
      assertThat(response.code()).isEqualTo(404);
    }
  }

  @Test
  void ignoresGroupAndTagHeadersByDefaultBecauseNoProxyStripsThem() throws IOException {
    // Tailscale serve neither sets nor strips these, so any client could claim group:eng.
    try (Response response = post("/chat/completions", "{\"model\":\"m/two\",\"messages\":[]}",
        "Tailscale-User-Login", "bob@example.com", "Aperture-User-Groups", "group:eng, ops",
        "Aperture-User-Tags", "tag:eng")) {
      assertThat(response.code()).isEqualTo(404);
      assertThat(error(response).get("code")).isEqualTo("model_not_found");
    }
    try (Response response = get("/models", "Tailscale-User-Login", "bob@example.com", "Aperture-User-Groups", "eng")) {
      assertThat((List<?>) json(response).get("data")).hasSize(1);
    }
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void honoursGroupHeadersWhenTheOperatorTrustsTheProxyToSetAndStripThem() throws IOException {
    restart(builder().maxBodySize(64 * 1024).trustGroupAndTagHeaders(true));
    try (Response response = post("/chat/completions", "{\"model\":\"m/two\",\"messages\":[]}",
        "Tailscale-User-Login", "bob@example.com", "Aperture-User-Groups", "group:eng, ops")) {
      assertThat(response.code()).isEqualTo(200);
    }
    try (Response response = post("/chat/completions", "{\"model\":\"m/two\",\"messages\":[]}",
        "Tailscale-User-Login", "bob@example.com")) {
      assertThat(response.code()).isEqualTo(404);
    }
  }

  @Test
  void rejectsARequestWithTwoLoginHeadersInsteadOfPickingOne() throws IOException {
    // A proxy that appends its header to the client's would otherwise let the client's value win.
    Request request = new Request.Builder().url(gateway.baseUrl() + "/chat/completions")
        .post(RequestBody.create("{\"model\":\"m/two\",\"messages\":[]}", JSON))
        .addHeader("Tailscale-User-Login", "alice@example.com")
        .addHeader("Tailscale-User-Login", "mallory@example.com")
        .build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(400);
      Map<?, ?> error = error(response);
      assertThat(error.get("code")).isEqualTo("ambiguous_identity");
      assertThat((String) error.get("message")).contains("Tailscale-User-Login");
    }
    try (Response response = get("/models", "Tailscale-User-Login", "alice@example.com, mallory@example.com")) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(error(response).get("code")).isEqualTo("ambiguous_identity");
    }
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void rejectsTwoTrustedGroupHeaders() throws IOException {
    restart(builder().trustGroupAndTagHeaders(true));
    Request request = new Request.Builder().url(gateway.baseUrl() + "/models")
        .header("Tailscale-User-Login", "bob@example.com")
        .addHeader("Aperture-User-Groups", "ops")
        .addHeader("Aperture-User-Groups", "eng")
        .build();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(error(response).get("code")).isEqualTo("ambiguous_identity");
    }
  }

  @Test
  void refusesTheResponsesApiForAProviderWithoutIt() throws IOException {
    try (Response response = post("/responses", "{\"model\":\"m/one\",\"input\":\"hi\"}")) {
      assertThat(response.code()).isEqualTo(400);
      Map<?, ?> error = error(response);
      assertThat(error.get("code")).isEqualTo("unsupported_api_format");
      assertThat((String) error.get("message")).contains("openai_responses");
    }
  }

  @Test
  void passesRateLimitsOnWithRetryAfter() throws IOException {
    provider.failure = RateLimitedException.builder("fake").statusCode(429).message("slow down")
        .retryable(true).retryAfter(Duration.ofSeconds(7)).build();
    try (Response response = post("/chat/completions", "{\"model\":\"m/one\",\"messages\":[]}")) {
      assertThat(response.code()).isEqualTo(429);
      assertThat(response.header("Retry-After")).isEqualTo("7");
      assertThat(error(response).get("type")).isEqualTo("rate_limit_error");
    }
  }

  @Test
  void answersBadRequestsWith400AndKeepsServing() throws IOException {
    try (Response response = post("/chat/completions", "{\"model\": \"m/one\", \"messages\": [")) {
      assertThat(response.code()).isEqualTo(400);
      assertThat((String) error(response).get("message")).startsWith("invalid chat request:");
    }
    try (Response response = post("/chat/completions", "{\"messages\":[]}")) {
      assertThat(response.code()).isEqualTo(400);
      assertThat((String) error(response).get("message")).contains("model");
    }
    try (Response response = post("/chat/completions", "[1,2]")) {
      assertThat(response.code()).isEqualTo(400);
    }
    String huge = "{\"model\":\"m/one\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(200_000) + "\"}]}";
    try (Response response = post("/chat/completions", huge)) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(error(response).get("code")).isEqualTo("request_too_large");
    }
    try (Response response = post("/chat/completions",
        "{\"model\":\"m/one\",\"messages\":[{\"role\":\"user\",\"content\":\"still here\"}]}")) {
      assertThat(response.code()).isEqualTo(200);
    }
  }

  @Test
  void answersUnknownPathsAndWrongMethodsInOpenAisErrorShape() throws IOException {
    try (Response response = get("/nope")) {
      assertThat(response.code()).isEqualTo(404);
      assertThat(error(response).get("code")).isEqualTo("unknown_url");
    }
    try (Response response = get("/chat/completions")) {
      assertThat(response.code()).isEqualTo(405);
      assertThat(response.header("Allow")).isEqualTo("POST");
    }
  }

  private static final Object END = new Object();

  private static ChatChunk textChunk(String text, @Nullable FinishReason finish) {
    return ChatChunk.builder().id("chunk-1").model("m/one").created(1)
        .addChoice(ChatChunk.Choice.of(0, ChatChunk.Delta.ofContent(text), finish)).build();
  }

  /** Echoes chat calls; streams whatever the test puts in {@link #pending}. */
  static final class ScriptedProvider implements Provider {
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    final BlockingQueue<Object> pending = new LinkedBlockingQueue<>();
    volatile @Nullable RuntimeException failure;
    volatile boolean cancelled;
    final java.util.concurrent.CountDownLatch cancelledLatch = new java.util.concurrent.CountDownLatch(1);

    @Override
    public String id() {
      return "fake";
    }

    @Override
    public Set<ApiFormat> apiFormats() {
      return Set.of(ApiFormat.OPENAI_CHAT);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      requests.add(request);
      RuntimeException toThrow = failure;
      if (toThrow != null) throw toThrow;
      String text = request.messages().isEmpty() ? "" : request.messages().get(0).text();
      return ChatResponse.builder().id("resp-1").model(request.model()).provider("fake").created(1)
          .addChoice(Choice.of(0, Message.assistant("echo: " + text), FinishReason.STOP))
          .usage(Usage.of(1, 2)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      requests.add(request);
      return ChatStream.of("fake", new ChunkSource() {
        boolean ended;

        @Override
        public @Nullable ChatChunk next() throws IOException {
          Object next;
          try {
            next = pending.poll(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
          }
          if (next == null) throw new IOException("the test sent nothing for 10 s");
          if (next == END) {
            ended = true;
            return null;
          }
          if (next instanceof RuntimeException e) throw e;
          return (ChatChunk) next;
        }

        @Override
        public boolean sawEndMarker() {
          return ended;
        }

        @Override
        public void cancel() {
          cancelled = true;
          cancelledLatch.countDown();
        }
      });
    }
  }
}
