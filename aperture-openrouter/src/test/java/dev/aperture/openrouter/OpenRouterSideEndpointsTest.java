package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.ChatRequest;
import dev.aperture.ChatStream;
import dev.aperture.ModelPricing;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generation cost lookups, catalog pricing, generation ids and the model-selecting fields. */
final class OpenRouterSideEndpointsTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build();
  private final FakeTime time = new FakeTime();

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

  private OpenRouterProvider provider() {
    return OpenRouterProvider.builder()
        .apiKey(API_KEY)
        .baseUrl(server.url("/api/").toString())
        .client(client)
        .clock(time)
        .build();
  }

  @Test
  void generationCostReadsTheTotalCostExactly() throws Exception {
    server.enqueue(new MockResponse.Builder().body(fixture("generation.json")).build());

    BigDecimal cost = provider().generationCost("gen-1764000000-Ab12Cd34Ef56Gh78").get(5, TimeUnit.SECONDS);

    assertThat(cost).isEqualByComparingTo("0.0000689");
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/generation");
    assertThat(request.getUrl().queryParameter("id")).isEqualTo("gen-1764000000-Ab12Cd34Ef56Gh78");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
  }

  @Test
  void generationCostIsNullWhileOpenRouterHasNotRecordedIt() throws Exception {
    server.enqueue(new MockResponse.Builder().code(404)
        .body("{\"error\":{\"code\":404,\"message\":\"Generation not found\"}}").build());

    assertThat(provider().generationCost("gen-x").get(5, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void generationCostNeverFails() throws Exception {
    server.enqueue(new MockResponse.Builder().body("<html>bad gateway</html>").build());
    server.enqueue(new MockResponse.Builder().body("{\"data\":{\"total_cost\":null}}").build());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .build());
    OpenRouterProvider provider = provider();

    assertThat(provider.generationCost("gen-a").get(5, TimeUnit.SECONDS)).isNull();
    assertThat(provider.generationCost("gen-b").get(5, TimeUnit.SECONDS)).isNull();
    assertThat(provider.generationCost("gen-c").get(5, TimeUnit.SECONDS)).isNull();
    assertThat(provider.generationCost(" ").get(5, TimeUnit.SECONDS)).isNull();
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aStreamWithoutTheHeaderTakesItsGenerationIdFromTheFirstChunk() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-basic.sse")).build());

    try (ChatStream stream = provider().stream(ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hi"))) {
      assertThat(stream.response().generationId()).isEqualTo(stream.response().id()).startsWith("gen-");
    }
  }

  @Test
  void aStreamPrefersTheGenerationIdHeader() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .addHeader("X-Generation-Id", "gen-from-header").body(fixture("stream-basic.sse")).build());

    try (ChatStream stream = provider().stream(ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hi"))) {
      assertThat(stream.response().generationId()).isEqualTo("gen-from-header");
    }
  }

  @Test
  void pricingIsNullUntilTheCatalogLoadsThenExact() throws Exception {
    server.enqueue(new MockResponse.Builder().body(fixture("models.json")).build());
    OpenRouterProvider provider = provider();

    assertThat(provider.pricing("qwen/qwen3-235b-a22b-2507")).as("never blocks").isNull();
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/models");

    ModelPricing pricing = awaitPricing(provider, "openrouter/qwen/qwen3-235b-a22b-2507");
    assertThat(pricing).isEqualTo(ModelPricing.of(new BigDecimal("0.000000078"),
        new BigDecimal("0.000000312")));
    assertThat(provider.pricing("google/gemini-2.5-pro-preview"))
        .isEqualTo(ModelPricing.of(new BigDecimal("0.00000125"), new BigDecimal("0.00001")));
    assertThat(provider.pricing("nobody/unlisted")).isNull();
    assertThat(server.getRequestCount()).as("one fetch for all of them").isEqualTo(1);
  }

  @Test
  void theCatalogIsRefreshedAtMostHourly() throws Exception {
    server.enqueue(new MockResponse.Builder().body(fixture("models.json")).build());
    server.enqueue(new MockResponse.Builder().body(
        "{\"data\":[{\"id\":\"qwen/qwen3-235b-a22b-2507\",\"pricing\":{\"prompt\":\"0.000001\","
            + "\"completion\":\"0.000002\"}}]}").build());
    OpenRouterProvider provider = provider();
    awaitPricing(provider, "qwen/qwen3-235b-a22b-2507");

    time.advance(Duration.ofMinutes(59));
    provider.pricing("qwen/qwen3-235b-a22b-2507");
    assertThat(server.getRequestCount()).isEqualTo(1);

    time.advance(Duration.ofMinutes(1));
    provider.pricing("qwen/qwen3-235b-a22b-2507");
    ModelPricing refreshed = null;
    for (int i = 0; i < 500 && (refreshed == null || refreshed.promptPerToken().signum() == 0
        || refreshed.promptPerToken().compareTo(new BigDecimal("0.000001")) != 0); i++) {
      Thread.sleep(10);
      refreshed = provider.pricing("qwen/qwen3-235b-a22b-2507");
    }
    assertThat(refreshed).isEqualTo(ModelPricing.of(new BigDecimal("0.000001"), new BigDecimal("0.000002")));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aModelWhosePriceVariesHasNoPricing() throws Exception {
    server.enqueue(new MockResponse.Builder().body("{\"data\":[{\"id\":\"openrouter/auto\",\"pricing\":"
        + "{\"prompt\":\"-1\",\"completion\":\"-1\"}},{\"id\":\"a/b\",\"pricing\":{\"prompt\":\"0\","
        + "\"completion\":\"0\"}}]}").build());
    OpenRouterProvider provider = provider();

    awaitPricing(provider, "a/b");

    assertThat(provider.pricing("openrouter/auto")).isNull();
    assertThat(provider.pricing("a/b").estimateNanos(1000, 1000)).isZero();
  }

  @Test
  void aFailedCatalogFetchIsRetriedOnlyAfterAMinute() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).body("down").build());
    server.enqueue(new MockResponse.Builder().body(fixture("models.json")).build());
    OpenRouterProvider provider = provider();
    provider.pricing("qwen/qwen3-235b-a22b-2507");
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
    // Let the failure be recorded (the fetch is asynchronous), then ask again within the minute.
    for (int i = 0; i < 50; i++) {
      Thread.sleep(10);
      provider.pricing("qwen/qwen3-235b-a22b-2507");
    }
    assertThat(server.getRequestCount()).isEqualTo(1);

    time.advance(Duration.ofMinutes(1));
    assertThat(awaitPricing(provider, "qwen/qwen3-235b-a22b-2507")).isNotNull();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void modelsAndRouteSelectModels() {
    assertThat(provider().modelSelectingParameters()).containsExactlyInAnyOrder("models", "route");
  }

  /** Polls (bounded) until the background fetch has landed. */
  private static ModelPricing awaitPricing(OpenRouterProvider provider, String model) throws Exception {
    for (int i = 0; i < 500; i++) {
      ModelPricing pricing = provider.pricing(model);
      if (pricing != null) return pricing;
      Thread.sleep(10);
    }
    throw new AssertionError("catalog not loaded within 5 s");
  }
}
