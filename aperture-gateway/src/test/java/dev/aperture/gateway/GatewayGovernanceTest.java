package dev.aperture.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.CallOptions;
import dev.aperture.CallTimeoutException;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.FinishReason;
import dev.aperture.HookBlockedException;
import dev.aperture.HookFailedException;
import dev.aperture.Message;
import dev.aperture.ModelInfo;
import dev.aperture.Provider;
import dev.aperture.ProviderException;
import dev.aperture.ProviderUnavailableException;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaExceededException;
import dev.aperture.Redactor;
import dev.aperture.ResponsesRequest;
import dev.aperture.Router;
import dev.aperture.Usage;
import dev.aperture.VerifyResult;
import dev.aperture.internal.wire.OpenAiChatJson;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the gateway answers the Router's governance refusals, what request metadata it hands the Router,
 * that no secret leaves in an error, and how it stops. A recording Router stands in, so each refusal can
 * be thrown exactly.
 */
final class GatewayGovernanceTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String CHAT = "{\"model\":\"m/one\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String KEY_SENTINEL = "sk-or-v1-SENTINEL-key-0123456789";
  private static final String HEADER_SENTINEL = "hdr-SENTINEL-value-9876543210";

  private final RecordingRouter router = new RecordingRouter();
  private final OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
  private ApertureGateway gateway;

  @BeforeEach
  void setUp() throws IOException {
    gateway = ApertureGateway.builder()
        .router(router)
        .port(0)
        .redactor(Redactor.of(List.of(KEY_SENTINEL, HEADER_SENTINEL)))
        .build();
    gateway.start();
  }

  @AfterEach
  void tearDown() {
    router.release.countDown();
    gateway.shutdown(Duration.ZERO);
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Response post(String body, String... headers) throws IOException {
    Request.Builder request = new Request.Builder().url(gateway.baseUrl() + "/chat/completions")
        .post(RequestBody.create(body, JSON));
    for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
    return client.newCall(request.build()).execute();
  }

  private static Map<?, ?> error(Response response) throws IOException {
    return (Map<?, ?>) ((Map<?, ?>) OpenAiChatJson.readValue(new Buffer().writeUtf8(response.body().string())))
        .get("error");
  }

  @Test
  void passesUserAgentSessionAndTheUrlToTheRouter() throws IOException {
    try (Response response = post(CHAT, "User-Agent", "claude-code/1.0", "X-Session-Id", "sess_xyz789",
        "X-Forwarded-Proto", "https")) {
      assertThat(response.code()).isEqualTo(200);
    }
    CallOptions options = router.options.get(0);
    assertThat(options.userAgent()).isEqualTo("claude-code/1.0");
    assertThat(options.sessionId()).isEqualTo("sess_xyz789");
    assertThat(options.url()).isEqualTo("https://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(600)); // The gateway's response limit.
  }

  @Test
  void aGuardrailBlockIsTheHooksStatusWithApertureErrorType() throws IOException {
    router.failure = new HookBlockedException("pii-scrubber", 451, "Request blocked: contains an SSN");
    try (Response response = post(CHAT)) {
      assertThat(response.code()).isEqualTo(451);
      Map<?, ?> error = error(response);
      assertThat(error.get("type")).isEqualTo("guardrail_blocked");
      assertThat(error.get("message")).isEqualTo("Request blocked: contains an SSN");
    }
  }

  @Test
  void aQuotaRefusalIs429WithRetryAfterInWholeSecondsRoundedUp() throws IOException {
    router.failure = new QuotaExceededException("daily:alice@example.com", -1, Duration.ofMillis(90_500));
    try (Response response = post(CHAT)) {
      assertThat(response.code()).isEqualTo(429);
      assertThat(response.header("Retry-After")).isEqualTo("91");
      assertThat(error(response).get("code")).isEqualTo("quota_exceeded");
    }
  }

  @Test
  void aCallerWithNoRoleIs403ButAModelItMayNotUseIsNotFound() throws IOException {
    router.failure = new dev.aperture.AccessDeniedException(dev.aperture.Caller.of("mallory@example.com"), "m/one",
        dev.aperture.AccessDecision.Denial.NO_ROLE, null);
    try (Response response = post(CHAT)) {
      assertThat(response.code()).isEqualTo(403);
    }
    router.failure = new dev.aperture.AccessDeniedException(dev.aperture.Caller.of("mallory@example.com"), "m/one");
    try (Response response = post(CHAT)) {
      assertThat(response.code()).isEqualTo(404);
    }
  }

  @Test
  void aFailClosedHookOrAnUnavailableProviderIs503AndADeadlineIs504() throws IOException {
    router.failure = new HookFailedException("pii-scrubber", "timed out after 5 s", null);
    try (Response response = post(CHAT)) {
      assertThat(response.code()).isEqualTo(503);
    }
    router.failure = new ProviderUnavailableException("anthropic", "claude", "no provider factory for type 'anthropic'");
    try (Response response = post(CHAT)) {
      assertThat(response.code()).isEqualTo(503);
    }
    router.failure = new CallTimeoutException(Duration.ofSeconds(20), List.of("openrouter/m/one"), null);
    try (Response response = post(CHAT)) {
      assertThat(response.code()).isEqualTo(504);
    }
  }

  @Test
  void errorBodiesNeverCarryASecretEvenWhenTheUpstreamQuotesIt() throws IOException {
    router.failure = ProviderException.builder("openrouter").statusCode(400).message("bad request with key " + KEY_SENTINEL
        + " and header X-Org: " + HEADER_SENTINEL).build();
    for (String body : List.of(CHAT, CHAT.replace("{\"model\"", "{\"stream\":true,\"model\""))) {
      try (Response response = post(body)) {
        String text = response.body().string();
        assertThat(response.code()).isEqualTo(400);
        assertThat(text).contains(Redactor.MASK);
        for (String sentinel : List.of(KEY_SENTINEL, HEADER_SENTINEL)) {
          for (int i = 0; i + 8 <= sentinel.length(); i++) {
            assertThat(text).doesNotContain(sentinel.substring(i, i + 8));
          }
        }
      }
    }
  }

  @Test
  void answersHealthChecks() throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(
        "http://127.0.0.1:" + gateway.port() + "/healthz").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void aGracefulStopRefusesNewCallsWith503AndLetsTheOneInFlightFinish() throws Exception {
    router.block = true;
    CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> {
      try (Response response = post(CHAT)) {
        return response.code();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(router.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.callsInFlight()).isEqualTo(1);
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> gateway.shutdown(Duration.ofSeconds(20)));

    // The health check turns 503 as soon as the stop begins; a new call is refused the same way.
    OkHttpClient fresh = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)).build();
    int health = 0;
    for (int attempt = 0; attempt < 500 && health != 503; attempt++) {
      try (Response response = fresh.newCall(new Request.Builder()
          .url("http://127.0.0.1:" + gateway.port() + "/healthz").build()).execute()) {
        health = response.code();
      }
    }
    assertThat(health).isEqualTo(503);
    try (Response response = fresh.newCall(new Request.Builder().url(gateway.baseUrl() + "/chat/completions")
        .post(RequestBody.create(CHAT, JSON)).build()).execute()) {
      assertThat(response.code()).isEqualTo(503);
      assertThat(response.header("Retry-After")).isEqualTo("1");
      assertThat(error(response).get("code")).isEqualTo("shutting_down");
    }
    assertThat(stopped).isNotDone();

    router.release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(router.calls).hasSize(1);
    fresh.dispatcher().executorService().shutdown();
  }

  @Test
  void aStopWhoseGraceRunsOutClosesTheCallStillInFlight() throws Exception {
    router.block = true;
    CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> {
      try (Response response = post(CHAT)) {
        return String.valueOf(response.code());
      } catch (IOException e) {
        return "closed";
      }
    });
    assertThat(router.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.shutdown(Duration.ofMillis(100))).isFalse();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("closed");
  }

  /** Answers every chat itself, records what it was given, and throws {@link #failure} when set. */
  static final class RecordingRouter implements Router {
    final List<CallOptions> options = new CopyOnWriteArrayList<>();
    final List<ChatRequest> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile @Nullable RuntimeException failure;
    volatile boolean block;

    @Override
    public Map<String, String> unavailableProviders() {
      return Map.of();
    }

    @Override
    public ChatResponse chat(Caller caller, ChatRequest request, CallOptions options) {
      this.options.add(options);
      calls.add(request);
      entered.countDown();
      if (block) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      RuntimeException toThrow = failure;
      if (toThrow != null) throw toThrow;
      Choice choice = Choice.of(0, Message.assistant("ok"), FinishReason.STOP);
      return ChatResponse.builder().id("resp-1").model(request.model()).provider("fake").created(1).addChoice(choice).usage(Usage.of(1, 1)).build();
    }

    @Override
    public ChatStream stream(Caller caller, ChatRequest request, CallOptions options) {
      this.options.add(options);
      RuntimeException toThrow = failure;
      if (toThrow != null) throw toThrow;
      throw new UnsupportedOperationException("not streamed in these tests");
    }

    @Override
    public ChatResponse chat(Caller caller, ChatRequest request) {
      return chat(caller, request, CallOptions.defaults());
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      return chat(Caller.anonymous(), request);
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request, CallOptions options) {
      return CompletableFuture.supplyAsync(() -> chat(caller, request, options));
    }

    @Override
    public List<QuotaBalance> quotas(Caller caller) {
      return List.of();
    }

    @Override
    public QuotaBalance refill(String bucket, long amountNanos) {
      throw new IllegalArgumentException("no quota " + bucket);
    }

    @Override
    public void close() {
    }

    @Override
    public ChatStream stream(Caller caller, ChatRequest request) {
      return stream(caller, request, CallOptions.defaults());
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      return stream(Caller.anonymous(), request);
    }

    @Override
    public CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request) {
      return chatAsync(caller, request, CallOptions.defaults());
    }

    @Override
    public Map<String, @Nullable Object> responses(Caller caller, ResponsesRequest request) {
      return Map.of();
    }

    @Override
    public List<ModelInfo> models(Caller caller) {
      return List.of();
    }

    @Override
    public List<VerifyResult> verify(Caller caller, List<String> models) {
      return List.of();
    }

    @Override
    public List<VerifyResult> verifyAll(Caller caller) {
      return List.of();
    }

    @Override
    public Map<String, Provider> providers() {
      return Map.of();
    }
  }
}
