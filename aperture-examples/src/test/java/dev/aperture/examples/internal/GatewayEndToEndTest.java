package dev.aperture.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.Router;
import dev.aperture.config.ApertureConfig;
import dev.aperture.gateway.ApertureGateway;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway end to end: a real HTTP client → the gateway → the Router → the OpenRouter provider → a
 * MockWebServer answering with OpenRouter's bodies.
 */
final class GatewayEndToEndTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String CONFIGURED_KEY = "sk-or-v1-configured-in-the-gateway";

  @StartStop
  private final MockWebServer upstream = new MockWebServer();

  private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build();
  private ApertureGateway gateway;

  @BeforeEach
  void setUp() throws IOException {
    String config = """
        {
          "providers": {
            "openrouter": {
              "baseurl": "%s",
              "apikey": "${OPENROUTER_API_KEY}",
              "models": ["qwen/qwen3-235b-a22b-2507", "google/gemini-2.5-pro-preview"],
            },
          },
          "grants": [
            {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["openrouter/qwen/*"]}]}},
            {"src": ["alice@example.com"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["openrouter/**"]}]}},
          ],
        }""".formatted(upstream.url("/api/"));
    // No retries: a 429 must reach the client at once, with the upstream's Retry-After.
    Router router = Router.builder()
        .config(ApertureConfig.parse(config, "gateway-test.hujson", Map.of("OPENROUTER_API_KEY", CONFIGURED_KEY)::get))
        .addProviderFactory(new OpenRouterProviderFactory(new OkHttpClient()))
        .retryPolicy(dev.aperture.RetryPolicy.none())
        .build();
    gateway = ApertureGateway.builder().router(router).port(0).build();
    gateway.start();
  }

  @AfterEach
  void tearDown() {
    gateway.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = GatewayEndToEndTest.class.getResourceAsStream("/openrouter/" + name)) {
      if (in == null) throw new IOException("missing fixture " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private Response post(String path, String body, String... headers) throws IOException {
    Request.Builder request = new Request.Builder().url(gateway.baseUrl() + path).post(RequestBody.create(body, JSON));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return client.newCall(request.build()).execute();
  }

  private static Map<?, ?> json(String text) throws IOException {
    return (Map<?, ?>) Json.read(new Buffer().writeUtf8(text));
  }

  @Test
  void chatUsesTheConfiguredKeyNotTheClientsAndPassesUnknownFieldsThrough() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(fixture("chat-completion.json")).build());
    String body;
    try (Response response = post("/chat/completions", """
        {"model":"qwen/qwen3-235b-a22b-2507","messages":[{"role":"user","content":"Hi"}],
         "provider":{"order":["Alibaba"]},"plugins":[{"id":"web"}],"x_future_field":{"n":12345678901234}}""",
        "Authorization", "Bearer sk-the-clients-own-key", "api-key", "sk-also-ignored")) {
      assertThat(response.code()).isEqualTo(200);
      body = response.body().string();
    }
    Map<?, ?> answer = json(body);
    Map<?, ?> message = (Map<?, ?>) ((Map<?, ?>) ((List<?>) answer.get("choices")).get(0)).get("message");
    assertThat(message.get("content")).isEqualTo("Hello! How can I help you today?");
    assertThat(((Map<?, ?>) answer.get("usage")).get("cost")).hasToString("0.0000041");

    RecordedRequest sent = upstream.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/api/v1/chat/completions");
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer " + CONFIGURED_KEY);
    assertThat(sent.getHeaders().get("api-key")).isNull();
    Map<?, ?> upstreamBody = json(sent.getBody().utf8());
    assertThat(upstreamBody.get("provider")).isEqualTo(Map.of("order", List.of("Alibaba")));
    assertThat(upstreamBody.get("plugins")).isEqualTo(List.of(Map.of("id", "web")));
    assertThat(upstreamBody.get("x_future_field")).isEqualTo(Map.of("n", 12345678901234L));
    assertThat(sent.getBody().utf8()).doesNotContain("sk-the-clients-own-key");
  }

  @Test
  void streamsOpenRoutersChunksToTheClientAsTheyArrive() throws Exception {
    // The fixture answers from Gemini; this caller may use only Qwen, and the Router refuses an answer from
    // a model outside the grants, so the answer must come from the model asked for.
    String sse = fixture("stream-basic.sse").replace("google/gemini-2.5-pro-preview", "qwen/qwen3-235b-a22b-2507");
    int split = sse.indexOf("data:", sse.indexOf("\"content\":\"Gr\""));
    CountDownLatch clientSawFirstText = new CountDownLatch(1);
    MockResponseBody pacedBody = new MockResponseBody() {
      @Override
      public long getContentLength() {
        return -1;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.writeUtf8(sse.substring(0, split)).flush();
        try {
          // The rest is sent only once the client has read the first text through the gateway.
          if (!clientSawFirstText.await(10, TimeUnit.SECONDS)) throw new IOException("client never saw the first text");
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
        sink.writeUtf8(sse.substring(split)).flush();
      }
    };
    upstream.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(pacedBody).build());

    List<String> events = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    try (Response response = post("/chat/completions",
        "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Type")).isEqualTo("text/event-stream");
      BufferedSource source = response.body().source();
      for (String line; (line = source.readUtf8Line()) != null; ) {
        if (line.isEmpty()) continue;
        events.add(line);
        if (line.equals("data: [DONE]")) break;
        Map<?, ?> chunk = json(line.substring("data: ".length()));
        for (Object choice : (List<?>) chunk.get("choices")) {
          Object content = ((Map<?, ?>) ((Map<?, ?>) choice).get("delta")).get("content");
          if (content != null) text.append(content);
        }
        if (text.toString().equals("Gr")) clientSawFirstText.countDown();
      }
    }
    assertThat(clientSawFirstText.getCount()).isZero();
    assertThat(text.toString()).isEqualTo("Grüß Gott 👋!");
    assertThat(events).allMatch(line -> line.startsWith("data: ")); // Keep-alive comments are not chunks.
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    Map<?, ?> usageChunk = json(events.get(events.size() - 2).substring("data: ".length()));
    assertThat((List<?>) usageChunk.get("choices")).isEmpty();
    assertThat(((Map<?, ?>) usageChunk.get("usage")).get("total_tokens")).isEqualTo(13L);
  }

  @Test
  void aStreamThatFailsUpstreamEndsWithAnErrorEvent() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-mid-error.sse")).build());
    try (Response response = post("/chat/completions",
        "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
      List<String> events = response.body().string().lines().filter(line -> !line.isEmpty()).toList();
      assertThat(events.get(0)).contains("The answer is");
      assertThat(events.get(events.size() - 1)).startsWith("data: {\"error\":{");
      assertThat(events).doesNotContain("data: [DONE]");
    }
  }

  @Test
  void rateLimitsReachTheClientAs429WithTheUpstreamsRetryAfter() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "7")
        .addHeader("Content-Type", "application/json").body(fixture("error-429.json")).build());
    try (Response response = post("/chat/completions",
        "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
      assertThat(response.code()).isEqualTo(429);
      assertThat(response.header("Retry-After")).isEqualTo("7");
      Map<?, ?> error = (Map<?, ?>) json(response.body().string()).get("error");
      assertThat(error.get("type")).isEqualTo("rate_limit_error");
      assertThat((String) error.get("message")).contains("Rate limit exceeded");
    }
  }

  @Test
  void aRejectedConfiguredKeyIsABadGatewayNotTheClientsProblem() throws Exception {
    upstream.enqueue(new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
        .body(fixture("error-401.json")).build());
    try (Response response = post("/chat/completions",
        "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
      assertThat(response.code()).isEqualTo(502);
      String body = response.body().string();
      assertThat(body).contains("upstream_authentication_failed").doesNotContain(CONFIGURED_KEY);
    }
  }

  @Test
  void modelsListsWhatTheCallerMayUseWithProviderAndFormats() throws Exception {
    Request request = new Request.Builder().url(gateway.baseUrl() + "/models")
        .header("Tailscale-User-Login", "alice@example.com").build();
    try (Response response = client.newCall(request).execute()) {
      Map<?, ?> body = json(response.body().string());
      assertThat(body.get("object")).isEqualTo("list");
      List<?> data = (List<?>) body.get("data");
      assertThat(data.stream().map(m -> ((Map<?, ?>) m).get("id")).toList()).isEqualTo(List.of(
          "openrouter/qwen/qwen3-235b-a22b-2507", "openrouter/google/gemini-2.5-pro-preview"));
      Map<?, ?> first = (Map<?, ?>) data.get(0);
      assertThat(first.get("provider")).isEqualTo("openrouter");
      assertThat(first.get("api_formats")).isEqualTo(List.of("openai_chat"));
    }
    assertThat(upstream.getRequestCount()).isZero();
  }

  @Test
  void ungrantedAndUnknownModelsAre404AndNeverReachTheUpstream() throws Exception {
    for (String model : List.of("google/gemini-2.5-pro-preview", "no/such-model")) {
      try (Response response = post("/chat/completions",
          "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
        assertThat(response.code()).isEqualTo(404);
        assertThat(response.body().string()).contains("\"code\":\"model_not_found\"");
      }
    }
    assertThat(upstream.getRequestCount()).isZero();
  }

  @Test
  void theResponsesApiIsRefusedForOpenRouterBeforeAnyUpstreamCall() throws Exception {
    try (Response response = post("/responses", "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"input\":\"Hi\"}")) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(response.body().string()).contains("unsupported_api_format").contains("openai_responses");
    }
    assertThat(upstream.getRequestCount()).isZero();
  }

  @Test
  void aBodyOverFourMebibytesIs400AndTheGatewayKeepsServing() throws Exception {
    String huge = "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + "x".repeat(5 * 1024 * 1024) + "\"}]}";
    try (Response response = post("/chat/completions", huge)) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(response.body().string()).contains("request_too_large");
    }
    try (Response response = post("/chat/completions", "{not json")) {
      assertThat(response.code()).isEqualTo(400);
    }
    assertThat(upstream.getRequestCount()).isZero();
    upstream.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .body(fixture("chat-completion.json")).build());
    try (Response response = post("/chat/completions",
        "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")) {
      assertThat(response.code()).isEqualTo(200);
    }
  }
}
