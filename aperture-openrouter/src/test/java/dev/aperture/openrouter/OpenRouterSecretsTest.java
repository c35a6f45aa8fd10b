package dev.aperture.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.ChatRequest;
import dev.aperture.ChatStream;
import dev.aperture.ProviderException;
import dev.aperture.config.Authorization;
import dev.aperture.config.ConfigurationException;
import dev.aperture.config.ProviderConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Distinct sentinels in every secret slot (the key, an {@code add_headers} value, a base-URL password and
 * a call's own header), and an upstream that quotes back everything it received, with each sentinel at
 * every offset around the cuts (200 characters for messages, 500 for excerpts): no 8-character piece of
 * any sentinel may appear in any message, excerpt, diagnosis or log line.
 */
final class OpenRouterSecretsTest {
  private static final String KEY = "sk-or-v1-KEYSENTINEL-0a1b2c3d4e5f6a7b8c9d";
  private static final String HEADER = "hdrSENTINEL-9f8e7d6c5b4a39281706";
  private static final String PASSWORD = "pwSENTINEL-1357924680abcdef";
  private static final String CALL_HEADER = "callSENTINEL-2468013579fedcba";
  private static final List<String> SENTINELS = List.of(KEY, HEADER, PASSWORD, CALL_HEADER);

  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
  private final List<String> logs = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger("dev.aperture");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logs.add(String.valueOf(record.getMessage()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private Level previousLevel;
  private volatile int offset;
  private volatile String shape = "text";

  @BeforeEach
  void setUp() throws Exception {
    previousLevel = logger.getLevel();
    logger.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    logger.addHandler(capture);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return quoting(request);
      }
    });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void tearDown() {
    logger.removeHandler(capture);
    logger.setLevel(previousLevel);
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** Quotes every credential it received (and the base URL's password, as a proxy's error page might). */
  private MockResponse quoting(RecordedRequest request) {
    String quoted = "Authorization: " + request.getHeaders().get("Authorization")
        + " X-Team-Token: " + request.getHeaders().get("X-Team-Token")
        + " X-Grant-Token: " + request.getHeaders().get("X-Grant-Token")
        + " via http://user:" + PASSWORD + "@proxy";
    String padded = "x".repeat(offset) + quoted + " " + "y".repeat(600);
    String json = padded.replace("\"", "'");
    return switch (shape) {
      case "json" -> new MockResponse.Builder().code(502).body("{\"error\":{\"code\":502,\"message\":\""
          + json + "\",\"metadata\":{\"provider_name\":\"X\",\"raw\":\"" + json + "\"}}}").build();
      case "in200" -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body("{\"error\":{\"code\":429,\"message\":\"" + json + "\"}}").build();
      case "malformed" -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
          .body("{\"id\": " + padded + "}").build();
      case "stream" -> new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
          .body("data: {\"id\":\"gen-1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
              + "data: {\"id\":\"gen-1\",\"model\":\"m\",\"error\":{\"code\":502,\"message\":\"" + json
              + "\"},\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}\n\n").build();
      default -> new MockResponse.Builder().code(401).addHeader("Content-Type", "text/html")
          .body(padded).build();
    };
  }

  private OpenRouterProvider provider() {
    String base = server.url("/api/").toString().replace("://", "://user:" + PASSWORD + "@");
    return OpenRouterProvider.builder()
        .apiKey(KEY)
        .baseUrl(base)
        .addHeader("X-Team-Token", HEADER)
        .client(client)
        .build();
  }

  private static ChatRequest request() {
    return ChatRequest.builder().model("qwen/qwen3-235b-a22b-2507").user("Hello")
        .header("X-Grant-Token", CALL_HEADER).build();
  }

  private static void assertNoSentinel(String where, String text) {
    for (String sentinel : SENTINELS) {
      for (int i = 0; i + 8 <= sentinel.length(); i++) {
        String piece = sentinel.substring(i, i + 8);
        assertThat(text).as("%s must not contain '%s'", where, piece).doesNotContain(piece);
      }
    }
  }

  private static void assertClean(Throwable failure) {
    assertThat(failure).isInstanceOf(ProviderException.class);
    ProviderException e = (ProviderException) failure;
    assertNoSentinel("message", e.getMessage());
    assertNoSentinel("bodyExcerpt", e.bodyExcerpt());
    assertNoSentinel("toString", e.toString());
    if (e.errorCode() != null) assertNoSentinel("errorCode", e.errorCode());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text", "json", "in200", "malformed"})
  void noSentinelReachesAnyMessageFromAQuotingUpstream(String shape) throws Exception {
    this.shape = shape;
    OpenRouterProvider provider = provider();
    int[] offsets = {0, 60, 120, 150, 180, 330, 400, 460};
    for (int at : offsets) {
      offset = at;
      assertClean(catchThrowableOfType(ProviderException.class, () -> provider.chat(request())));
    }
    offset = 170;
    try {
      provider.chatAsync(request()).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertClean(e.getCause());
    }
    for (String line : logs) assertNoSentinel("log", line);
    assertThat(server.getRequestCount()).isEqualTo(offsets.length + 1);
  }

  /**
   * The cut logic itself, at every offset: each sentinel crosses the 200-character message cut and the
   * 500-character excerpt cut, in every error shape. (The end-to-end test above shows the provider
   * registers these same secrets.)
   */
  @Test
  void noSentinelSurvivesACutAtAnyOffset() {
    List<String> secrets = new ArrayList<>(List.of(KEY, HEADER));
    secrets.addAll(dev.aperture.openrouter.internal.Secrets.ofBaseUrl("http://user:" + PASSWORD + "@h/"));
    dev.aperture.openrouter.internal.OpenRouterErrors errors = new dev.aperture.openrouter.internal
        .OpenRouterErrors("openrouter", secrets, java.time.Clock.systemUTC())
        .forCall(java.util.Map.of("X-Grant-Token", CALL_HEADER));
    okhttp3.Headers none = okhttp3.Headers.of();
    for (String sentinel : SENTINELS) {
      for (int at = 0; at <= 560; at++) {
        String text = "x".repeat(at) + sentinel + " " + "y".repeat(600);
        String json = "{\"error\":{\"code\":502,\"message\":\"" + text + "\",\"metadata\":{\"raw\":\""
            + text + "\",\"reasons\":[\"" + text + "\"]}}}";
        assertClean(errors.httpError(401, none, text));
        assertClean(errors.httpError(502, none, json));
        assertClean(errors.httpError(403, none, json));
        assertClean(errors.errorIn200(java.util.Map.of("code", 429, "message", text), none, json));
        assertClean(errors.streamError(java.util.Map.of("code", 502, "message", text)));
        assertClean(errors.malformed(200, text, "a malformed response body", null));
      }
    }
  }

  @Test
  void noSentinelSurvivesInAStreamError() {
    shape = "stream";
    for (int at = 0; at <= 200; at += 50) {
      offset = at;
      try (ChatStream stream = provider().stream(request())) {
        assertClean(catchThrowableOfType(ProviderException.class, stream::response));
      }
    }
    shape = "text";
    offset = 199;
    assertClean(catchThrowableOfType(ProviderException.class, () -> provider().stream(request())));
    for (String line : logs) assertNoSentinel("log", line);
  }

  @Test
  void aHugeErrorBodyCutMidSecretKeepsNoPieceOfIt() {
    shape = "text";
    // The error body is read up to 64 KiB: put the key across that cut, after many copies of it, so the
    // redacted text would move the cut's leftovers into the excerpt if they survived.
    String filler = (KEY + " ").repeat(1000);
    offset = 0;
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        StringBuilder body = new StringBuilder(filler);
        while (body.length() < 64 * 1024 - 10) body.append('z');
        body.append(KEY).append("tail");
        return new MockResponse.Builder().code(500).body(body.toString()).build();
      }
    });

    assertClean(catchThrowableOfType(ProviderException.class, () -> provider().chat(request())));
  }

  @Test
  void diagnosisAndItsLogsAreRedacted() {
    shape = "text";
    offset = 10;
    OpenRouterProvider provider = provider();
    ProviderException failure = catchThrowableOfType(ProviderException.class, () -> provider.chat(request()));

    String diagnosis = provider.diagnose("qwen/qwen3-235b-a22b-2507", failure);

    if (diagnosis != null) assertNoSentinel("diagnosis", diagnosis);
    for (String line : logs) assertNoSentinel("log", line);
    assertNoSentinel("toString", provider.toString());
  }

  @Test
  void theCallHeaderIsSentButNeverReplacesTheCredential() throws Exception {
    shape = "json";
    ChatRequest request = request().newBuilder().header("Authorization", "Bearer stolen-" + CALL_HEADER)
        .build();

    catchThrowableOfType(ProviderException.class, () -> provider().chat(request));

    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().values("Authorization")).containsExactly("Bearer " + KEY);
    assertThat(sent.getHeaders().get("X-Grant-Token")).isEqualTo(CALL_HEADER);
    assertThat(sent.getHeaders().get("X-Team-Token")).isEqualTo(HEADER);
    assertThat(sent.getBody().utf8()).doesNotContain("X-Grant-Token").doesNotContain(CALL_HEADER);
  }

  @ParameterizedTest(name = "control character {index}")
  @ValueSource(strings = {"\r\nX-Injected-By-Key: yes", "\n", "\u0000", "\u007f"})
  void aKeyWithAControlCharacterIsRefusedWithoutQuotingIt(String bad) {
    String key = "sk-or-v1-SENTINELKEY" + bad + "0123456789";

    assertThatThrownBy(() -> OpenRouterProvider.builder().apiKey(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SENTINEL"));
  }

  @Test
  void aHeaderValueWithAControlCharacterIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> OpenRouterProvider.builder().addHeader("X-Team", "tokSENTINEL\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("X-Team")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SENTINEL"));
  }

  @Test
  void theFactoryReportsBadSecretsByPathNeverByValue() {
    ProviderConfig config = new ProviderConfig("openrouter", null, server.url("/api/").toString(),
        List.of("m"), ApiKey.of("sk-or-SENTINELKEY\r\nX-Injected: yes"), Authorization.BEARER,
        Set.of(ApiFormat.OPENAI_CHAT),
        List.of(new ProviderConfig.Header("X-Team", "tokSENTINELVAL\nX-Evil: 1")), 0, false, null, null,
        null, "providers.openrouter");

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> new OpenRouterProviderFactory(client).create(config));

    assertThat(e.getMessage()).contains("providers.openrouter.apikey", "providers.openrouter.add_headers")
        .doesNotContain("SENTINEL").doesNotContain("Injected").doesNotContain("Evil");
    assertThat(server.getRequestCount()).isZero();
  }
}
