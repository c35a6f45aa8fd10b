package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ResponsesRequest;
import dev.aperture.Router;
import dev.aperture.UnsupportedApiFormatException;
import dev.aperture.VerifyResult;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.ConfigurationException;
import java.net.InetAddress;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider behind a Router built from an Aperture configuration, as applications use it. */
final class OpenRouterRouterTest {
  private static final Caller ALICE = Caller.of("alice@example.com");

  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void tearDown() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private ApertureConfig config(String compatibility) {
    String text = """
        {
          // The seed's shape, pointed at MockWebServer.
          "providers": {
            "openrouter": {
              "baseurl": "%s",
              "apikey": "${OPENROUTER_API_KEY}",
              "models": ["qwen/qwen3-235b-a22b-2507", "google/gemini-2.5-pro-preview"],
              %s
            },
          },
          "grants": [
            {"src": ["*"], "app": {"tailscale.com/cap/aperture": [
              {"role": "user", "models": ["openrouter/**"]},
            ]}},
          ],
        }
        """.formatted(server.url("/api/"), compatibility);
    return ApertureConfig.parse(text, "test.hujson",
        name -> name.equals("OPENROUTER_API_KEY") ? API_KEY : null);
  }

  private Router router(ApertureConfig config) {
    return Router.builder()
        .config(config)
        .addProviderFactory(new OpenRouterProviderFactory(client))
        .build();
  }

  @Test
  void routesAChatToOpenRouter() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("X-Generation-Id", "gen-1")
        .body(fixture("chat-completion.json")).build());

    ChatResponse response = router(config("")).chat(ALICE,
        ChatRequest.of("openrouter/qwen/qwen3-235b-a22b-2507", "Hello"));

    assertThat(response.text()).isEqualTo("Hello! How can I help you today?");
    assertThat(response.provider()).isEqualTo("openrouter");
    assertThat(response.servedBy()).isEqualTo("Alibaba");
    assertThat(response.generationId()).isEqualTo("gen-1");
    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/chat/completions");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.getBody().utf8()).contains("\"model\":\"qwen/qwen3-235b-a22b-2507\"");
  }

  @Test
  void routesAStreamToOpenRouter() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-basic.sse")).build());

    try (ChatStream stream = router(config("")).stream(ALICE,
        ChatRequest.of("google/gemini-2.5-pro-preview", "Greet me"))) {
      assertThat(stream.response().text()).isEqualTo("Grüß Gott 👋!");
      assertThat(stream.provider()).isEqualTo("openrouter");
    }
  }

  @Test
  void responsesApiCallFailsWithoutARequest() {
    Router router = router(config(""));

    assertThatThrownBy(() -> router.responses(ALICE,
        ResponsesRequest.of("openrouter/qwen/qwen3-235b-a22b-2507", "Hello")))
        .isInstanceOf(UnsupportedApiFormatException.class)
        .hasMessageContaining("openai_responses");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void configEnablingTheResponsesApiIsRejected() {
    ApertureConfig config = config(
        "\"compatibility\": {\"openai_chat\": true, \"openai_responses\": true},");

    assertThatThrownBy(() -> router(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("providers.openrouter.compatibility.openai_responses");
  }

  @Test
  void verifyExplainsARejectedKeyWithTheKeyCheck() {
    server.enqueue(new MockResponse.Builder().code(401).body(fixture("error-401.json")).build());
    server.enqueue(new MockResponse.Builder().code(401).body(fixture("error-401.json")).build());

    List<VerifyResult> results = router(config("")).verify(ALICE,
        List.of("openrouter/qwen/qwen3-235b-a22b-2507"));

    assertThat(results).hasSize(1);
    assertThat(results.get(0).ok()).isFalse();
    assertThat(results.get(0).reason()).contains("rejected the API key").doesNotContain(API_KEY);
  }
}
