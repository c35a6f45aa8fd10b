package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.ChatRequest;
import dev.aperture.ChatStream;
import dev.aperture.ProviderConnectionException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ChatRequest#timeout()} bounds a call's attempt; for a stream, only until its headers arrive. */
final class OpenRouterCallTimeoutTest {
  private static final ChatRequest REQUEST = ChatRequest.builder().model("qwen/qwen3-235b-a22b-2507")
      .user("Hello").timeout(Duration.ofMillis(300)).build();

  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();

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
    return OpenRouterProvider.builder().apiKey(API_KEY).baseUrl(server.url("/api/").toString())
        .client(client).build();
  }

  private static void assertTimedOut(ProviderConnectionException e) {
    assertThat(e).isNotNull();
    assertThat(e.timedOut()).isTrue();
    assertThat(e.isRetryable()).as("the call's deadline is spent").isFalse();
    assertThat(e.getMessage()).contains("timed out").doesNotContain(API_KEY);
  }

  @Test
  void boundsABlockingChat() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    assertTimedOut(catchThrowableOfType(ProviderConnectionException.class, () -> provider().chat(REQUEST)));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void boundsAnAsynchronousChat() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    ExecutionException e = catchThrowableOfType(ExecutionException.class,
        () -> provider().chatAsync(REQUEST).get(10, TimeUnit.SECONDS));

    assertTimedOut((ProviderConnectionException) e.getCause());
  }

  @Test
  void boundsAStreamsWaitForItsHeaders() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    assertTimedOut(catchThrowableOfType(ProviderConnectionException.class, () -> provider().stream(REQUEST)));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void doesNotBoundAStreamOnceItsHeadersArrived() {
    // The body takes far longer than the attempt's timeout to arrive; the stream must still complete.
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-basic.sse")).throttleBody(128, 150, TimeUnit.MILLISECONDS).build());

    try (ChatStream stream = provider().stream(REQUEST)) {
      assertThat(stream.response().text()).isEqualTo("Grüß Gott 👋!");
    }
  }

  @Test
  void neitherTheTimeoutNorTheHeadersReachTheBody() throws Exception {
    server.enqueue(new MockResponse.Builder().body(fixture("chat-completion.json")).build());

    provider().chat(REQUEST.newBuilder().header("X-Grant-Project", "apollo").build());

    String body = server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8();
    assertThat(body).doesNotContain("timeout").doesNotContain("X-Grant-Project").doesNotContain("apollo")
        .doesNotContain("headers");
  }
}
