package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.ChatRequest;
import dev.aperture.ProviderConnectionException;
import dev.aperture.ProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class OpenRouterDiagnoseTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(5)).retryOnConnectionFailure(false).build();
  private OpenRouterProvider provider;

  @BeforeEach
  void setUp() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    provider = OpenRouterProvider.builder()
        .apiKey(API_KEY)
        .baseUrl(server.url("/api/v1").toString())
        .client(client)
        .build();
  }

  @AfterEach
  void tearDown() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** The failure a real call gets for {@code status}, as verify would see it. */
  private ProviderException failure(int status, String body) throws InterruptedException {
    server.enqueue(new MockResponse.Builder().code(status).body(body).build());
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider.chat(ChatRequest.of("qwen/qwen3-235b-a22b-2507", "ping")));
    server.takeRequest();
    return e;
  }

  @Test
  void explainsARejectedKey() throws Exception {
    ProviderException failure = failure(401, fixture("error-401.json"));
    server.enqueue(new MockResponse.Builder().code(401).body(fixture("error-401.json")).build());

    String reason = provider.diagnose("qwen/qwen3-235b-a22b-2507", failure);

    assertThat(reason).contains("rejected the API key").doesNotContain(API_KEY);
    RecordedRequest check = server.takeRequest();
    assertThat(check.getMethod()).isEqualTo("GET");
    assertThat(check.getUrl().encodedPath()).isEqualTo("/api/v1/key");
    assertThat(check.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
  }

  @Test
  void saysHowMuchCreditTheKeyHasLeft() throws Exception {
    ProviderException failure = failure(402, fixture("error-402.json"));
    server.enqueue(new MockResponse.Builder().body(fixture("key.json")).build());

    String reason = provider.diagnose("qwen/qwen3-235b-a22b-2507", failure);

    assertThat(reason).isEqualTo("the API key is valid and has $21.59 of $25.00 left");
  }

  @Test
  void saysWhenTheKeyHasNoLimit() throws Exception {
    ProviderException failure = failure(402, fixture("error-402.json"));
    server.enqueue(new MockResponse.Builder().body(
        "{\"data\":{\"label\":\"x\",\"limit\":null,\"usage\":3.4071,\"limit_remaining\":null,"
            + "\"is_free_tier\":true}}").build());

    assertThat(provider.diagnose("qwen/qwen3-235b-a22b-2507", failure))
        .isEqualTo("the API key is valid and has no credit limit (free tier); $3.41 used");
  }

  @Test
  void suggestsTheNearestModelForAnUnknownOne() throws Exception {
    ProviderException failure = failure(400,
        "{\"error\":{\"message\":\"qwen/qwen3-235b-a22b-2508 is not a valid model ID\",\"code\":400}}");
    server.enqueue(new MockResponse.Builder().body(fixture("models.json")).build());

    String reason = provider.diagnose("openrouter/qwen/qwen3-235b-a22b-2508", failure);

    assertThat(reason).isEqualTo("model 'qwen/qwen3-235b-a22b-2508' is not on OpenRouter; "
        + "did you mean 'qwen/qwen3-235b-a22b-2507'?");
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/v1/models");
  }

  @Test
  void saysNothingMoreForAListedModel() throws Exception {
    ProviderException failure = failure(404, fixture("error-404-no-endpoint.json"));
    server.enqueue(new MockResponse.Builder().body(fixture("models.json")).build());

    assertThat(provider.diagnose("meta-llama/llama-3.3-70b-instruct:free", failure)).isNull();
  }

  @Test
  void noSuggestionForAModelFarFromAnyListed() throws Exception {
    ProviderException failure = failure(404, fixture("error-404-no-endpoint.json"));
    server.enqueue(new MockResponse.Builder().body(fixture("models.json")).build());

    assertThat(provider.diagnose("acme/rocket-9000", failure))
        .isEqualTo("model 'acme/rocket-9000' is not on OpenRouter (see https://openrouter.ai/models)");
  }

  @Test
  void neverThrowsWhenItsOwnCheckFails() throws Exception {
    ProviderException failure = failure(401, fixture("error-401.json"));
    server.enqueue(new MockResponse.Builder().body("{\"data\": [not json").build());
    assertThat(provider.diagnose("m/x", failure)).isNull();

    ProviderException unknown = failure(404, fixture("error-404-no-endpoint.json"));
    server.enqueue(new MockResponse.Builder().code(500).body("oops").build());
    assertThat(provider.diagnose("m/x", unknown)).isNull();

    server.close();
    assertThat(provider.diagnose("m/x", failure)).isNull();
  }

  @Test
  void hasNothingToAddForOtherFailures() {
    ProviderException timeout = ProviderConnectionException.builder("openrouter").message("timed out")
        .retryable(true).timedOut(true).cause(new IOException("timeout")).build();

    assertThat(provider.diagnose("m/x", timeout)).isNull();
    assertThat(server.getRequestCount()).isZero();
  }
}
