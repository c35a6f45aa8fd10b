package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.ProviderConnectionException;
import dev.aperture.ProviderException;
import dev.aperture.StreamException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provider makes exactly one attempt per call: retries are the core's. Every status OkHttp might act
 * on by itself, each through chat, chatAsync and stream, with a client whose own settings would retry.
 */
final class OpenRouterOneAttemptTest {
  private static final ChatRequest REQUEST = ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hello");

  private final MockWebServer server = new MockWebServer();
  private final CountDownLatch callCanceled = new CountDownLatch(1);
  /** OkHttp's defaults: retryOnConnectionFailure and followRedirects are on. */
  private final OkHttpClient client = new OkHttpClient.Builder()
      .readTimeout(Duration.ofSeconds(5))
      .eventListener(new EventListener() {
        @Override
        public void canceled(Call call) {
          callCanceled.countDown();
        }
      })
      .build();

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
        .build();
  }

  private static MockResponse status(int code, @Nullable String retryAfter) {
    MockResponse.Builder response = new MockResponse.Builder().code(code)
        .body("{\"error\":{\"message\":\"status " + code + "\",\"code\":" + code + "}}");
    if (retryAfter != null) response.addHeader("Retry-After", retryAfter);
    return response.build();
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(fixture("chat-completion.json")).build();
  }

  enum Entry { CHAT, CHAT_ASYNC, STREAM }

  static Stream<Arguments> retryableStatuses() {
    Stream.Builder<Arguments> result = Stream.builder();
    for (Entry entry : Entry.values()) {
      for (int code : new int[] {408, 429, 500, 502, 503, 504}) {
        result.add(Arguments.of(entry, code, null));
        result.add(Arguments.of(entry, code, "0"));
      }
      result.add(Arguments.of(entry, 503, "00"));
      result.add(Arguments.of(entry, 503, "2"));
    }
    return result.build();
  }

  /** Runs one call the way {@code entry} does and returns its failure. */
  private Throwable fail(Entry entry) throws Exception {
    OpenRouterProvider provider = provider();
    try {
      switch (entry) {
        case CHAT -> provider.chat(REQUEST);
        case CHAT_ASYNC -> provider.chatAsync(REQUEST).get(10, TimeUnit.SECONDS);
        case STREAM -> {
          try (ChatStream stream = provider.stream(REQUEST)) {
            stream.response();
          }
        }
      }
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  @ParameterizedTest(name = "{0} HTTP {1} Retry-After {2}")
  @MethodSource("retryableStatuses")
  void exactlyOneRequestReachesTheServerWhateverTheStatus(Entry entry, int code,
      @Nullable String retryAfter) throws Exception {
    server.enqueue(status(code, retryAfter));
    server.enqueue(ok());
    server.enqueue(ok());

    Throwable failure = fail(entry);

    assertThat(failure).isInstanceOf(ProviderException.class);
    ProviderException e = (ProviderException) failure;
    assertThat(e.statusCode()).isEqualTo(code);
    assertThat(e.isRetryable()).as("the core decides from this").isTrue();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void aConnectionFailureIsNotRetriedByOkHttp(Entry entry) throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .build());
    server.enqueue(ok());

    Throwable failure = fail(entry);

    assertThat(failure).isInstanceOf(ProviderConnectionException.class);
    assertThat(((ProviderException) failure).isRetryable()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  static Stream<Entry> entries() {
    return Stream.of(Entry.values());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void aRedirectIsAnErrorNotASecondRequest(Entry entry) throws Exception {
    server.enqueue(new MockResponse.Builder().code(307).addHeader("Location", "/elsewhere").build());
    server.enqueue(ok());

    Throwable failure = fail(entry);

    assertThat(failure).isInstanceOf(ProviderException.class);
    assertThat(((ProviderException) failure).statusCode()).isEqualTo(307);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aProviderBuiltWithoutAClientSendsOnceToo() {
    server.enqueue(status(503, "0"));
    server.enqueue(ok());
    OpenRouterProvider provider = OpenRouterProvider.builder().apiKey(API_KEY)
        .baseUrl(server.url("/api/").toString()).build();

    assertThatThrownBy(() -> provider.chat(REQUEST)).isInstanceOf(ProviderException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void theUsersClientIsLeftAsItWas() {
    provider();

    assertThat(client.retryOnConnectionFailure()).isTrue();
    assertThat(client.followRedirects()).isTrue();
    assertThat(client.networkInterceptors()).isEmpty();
  }

  @Test
  void aStreamThatFailsAfterItsHeadersIsNotSentAgain() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-mid-error.sse")).build());
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-basic.sse")).build());

    try (ChatStream stream = provider().stream(REQUEST)) {
      assertThatThrownBy(stream::response).isInstanceOf(StreamException.class);
    }
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aSuccessIsOneRequest() throws Exception {
    server.enqueue(ok());

    ChatResponse response = provider().chatAsync(REQUEST).get(10, TimeUnit.SECONDS);

    assertThat(response.text()).isEqualTo("Hello! How can I help you today?");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void cancellingTheFutureCancelsTheHttpCall() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    server.enqueue(ok());
    CompletableFuture<ChatResponse> future = provider().chatAsync(REQUEST);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    assertThat(future.cancel(true)).isTrue();

    assertThat(callCanceled.await(5, TimeUnit.SECONDS)).as("OkHttp call canceled").isTrue();
    assertThatThrownBy(future::join).isInstanceOf(CancellationException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }
}
