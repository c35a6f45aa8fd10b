package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ProviderConnectionException;
import dev.aperture.ProviderException;
import dev.aperture.RateLimitedException;
import dev.aperture.StreamException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class OpenRouterRetryTest {
  private static final ChatRequest REQUEST = ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hello");
  private static final RetryPolicy EXACT = RetryPolicy.builder().jitter(0).build();

  private final MockWebServer server = new MockWebServer();
  private final CountDownLatch callCanceled = new CountDownLatch(1);
  private final OkHttpClient client = new OkHttpClient.Builder()
      .connectTimeout(Duration.ofSeconds(5))
      .readTimeout(Duration.ofSeconds(5))
      .retryOnConnectionFailure(false)
      .eventListener(new EventListener() {
        @Override
        public void canceled(Call call) {
          callCanceled.countDown();
        }
      })
      .build();
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

  private OpenRouterProvider provider(RetryPolicy policy) {
    return OpenRouterProvider.builder()
        .apiKey(API_KEY)
        .baseUrl(server.url("/api/").toString())
        .client(client)
        .retryPolicy(policy)
        .clock(time)
        .sleeper(time)
        .build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code)
        .body("{\"error\":{\"message\":\"status " + code + "\",\"code\":" + code + "}}").build();
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(fixture("chat-completion.json")).build();
  }

  @Test
  void retriesOn429AfterRetryAfterSeconds() {
    server.enqueue(status(429).newBuilder().addHeader("Retry-After", "30").build());
    server.enqueue(ok());

    ChatResponse response = provider(EXACT).chat(REQUEST);

    assertThat(response.text()).isEqualTo("Hello! How can I help you today?");
    assertThat(time.waits).containsExactly(Duration.ofSeconds(30));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void honoursRetryAfterAsAnHttpDate() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        time.instant().plusSeconds(12).atZone(ZoneOffset.UTC));
    server.enqueue(status(503).newBuilder().addHeader("Retry-After", date).build());
    server.enqueue(ok());

    provider(EXACT).chat(REQUEST);

    assertThat(time.waits).containsExactly(Duration.ofSeconds(12));
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    server.enqueue(status(429).newBuilder().addHeader("Retry-After", "9")
        .addHeader("Retry-After-Ms", "1500").build());
    server.enqueue(ok());

    provider(EXACT).chat(REQUEST);

    assertThat(time.waits).containsExactly(Duration.ofMillis(1500));
  }

  @Test
  void backsOffExponentiallyOnRetryableStatuses() {
    for (int code : List.of(503, 502, 500, 408, 504)) server.enqueue(status(code));
    server.enqueue(ok());

    provider(EXACT.newBuilder().maxRetries(5).build()).chat(REQUEST);

    assertThat(time.waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void backoffIsCappedAndJittered() {
    for (int i = 0; i < 3; i++) server.enqueue(status(502));
    server.enqueue(ok());
    RetryPolicy policy = RetryPolicy.builder().maxRetries(3).initialBackoff(Duration.ofSeconds(1))
        .maxBackoff(Duration.ofSeconds(3)).jitter(0.5).build();

    OpenRouterProvider provider = provider(policy).newBuilder().random(() -> 0.5).build();
    provider.chat(REQUEST);

    // 1 s, 2 s, then capped at 3 s; each shortened by 0.5 * 0.5 = 25%.
    assertThat(time.waits).containsExactly(Duration.ofMillis(750), Duration.ofMillis(1500),
        Duration.ofMillis(2250));
  }

  @Test
  void defaultPolicyRetriesTwiceThenThrowsTheLastError() {
    for (int i = 0; i < 3; i++) server.enqueue(status(503));
    server.enqueue(ok());

    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider(RetryPolicy.defaults()).chat(REQUEST));

    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(time.waits).hasSize(2);
    assertThat(time.waits.get(0)).isBetween(Duration.ofMillis(400), Duration.ofMillis(500));
    assertThat(time.waits.get(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 401, 402, 403, 404})
  void neverRetriesClientErrors(int code) {
    server.enqueue(status(code).newBuilder().addHeader("Retry-After", "1").build());
    server.enqueue(ok());

    assertThatThrownBy(() -> provider(EXACT).chat(REQUEST)).isInstanceOf(ProviderException.class);

    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(time.waits).isEmpty();
  }

  @Test
  void retriesAConnectionFailureBeforeAnyResponseByte() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .build());
    server.enqueue(ok());

    assertThat(provider(EXACT).chat(REQUEST).text()).isNotEmpty();
    assertThat(time.waits).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void doesNotRetryAConnectionFailureMidBody() {
    server.enqueue(ok().newBuilder().onResponseBody(new SocketEffect.CloseSocket(true, false, false))
        .build());
    server.enqueue(ok());

    assertThatThrownBy(() -> provider(EXACT).chat(REQUEST))
        .isInstanceOf(ProviderConnectionException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void doesNotRetryWhenRetryAfterPassesTheDeadline() {
    server.enqueue(status(429).newBuilder().addHeader("Retry-After", "120").build());
    server.enqueue(ok());

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> provider(EXACT.newBuilder().deadline(Duration.ofSeconds(60)).build()).chat(REQUEST));

    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(time.waits).isEmpty();
  }

  @Test
  void oneDeadlineCoversAllAttemptsAndWaits() {
    // Every attempt takes 4 s of (fake) time and fails with 503.
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        time.advance(Duration.ofSeconds(4));
        return status(503);
      }
    });
    RetryPolicy policy = EXACT.newBuilder().maxRetries(10).deadline(Duration.ofSeconds(10)).build();

    assertThatThrownBy(() -> provider(policy).chat(REQUEST)).isInstanceOf(ProviderException.class);

    // t=4 wait 0.5; t=8.5 wait 1 (ends 9.5 <= 10); t=13.5: a 2 s wait would pass the deadline.
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(time.waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void retriesAStreamThatFailsBeforeItStarts() {
    server.enqueue(status(502));
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-basic.sse")).build());

    try (ChatStream stream = provider(EXACT).stream(REQUEST)) {
      assertThat(stream.response().text()).isEqualTo("Grüß Gott 👋!");
    }
    assertThat(time.waits).containsExactly(Duration.ofMillis(500));
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void neverRetriesAStreamThatHasDeliveredChunks() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-mid-error.sse")).build());
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-basic.sse")).build());

    try (ChatStream stream = provider(EXACT).stream(REQUEST)) {
      assertThatThrownBy(stream::response).isInstanceOf(StreamException.class);
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(time.waits).isEmpty();
  }

  @Test
  void asyncChatRetriesWithTheSameRules() throws Exception {
    server.enqueue(status(429).newBuilder().addHeader("Retry-After", "2").build());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .build());
    server.enqueue(ok());

    ChatResponse response = provider(EXACT).chatAsync(REQUEST).get(10, TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("Hello! How can I help you today?");
    assertThat(time.waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void asyncChatFailsWithTheTypedErrorWhenRetriesRunOut() {
    for (int i = 0; i < 3; i++) server.enqueue(status(500));
    CompletableFuture<ChatResponse> future = provider(EXACT).chatAsync(REQUEST);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(ProviderException.class).hasMessageContaining("HTTP 500");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void asyncChatNeverRetriesClientErrors() {
    server.enqueue(status(402));
    server.enqueue(ok());

    assertThatThrownBy(() -> provider(EXACT).chatAsync(REQUEST).get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(dev.aperture.InsufficientCreditsException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void cancellingTheFutureCancelsTheHttpCall() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    server.enqueue(ok());
    CompletableFuture<ChatResponse> future = provider(EXACT).chatAsync(REQUEST);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    assertThat(future.cancel(true)).isTrue();

    assertThat(callCanceled.await(5, TimeUnit.SECONDS)).as("OkHttp call canceled").isTrue();
    assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(time.waits).isEmpty();
  }
}
