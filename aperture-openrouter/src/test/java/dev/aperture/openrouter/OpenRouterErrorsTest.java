package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.AuthenticationException;
import dev.aperture.ChatRequest;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.ModerationException;
import dev.aperture.ProviderConnectionException;
import dev.aperture.ProviderException;
import dev.aperture.RateLimitedException;
import dev.aperture.internal.wire.WireFormatException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

final class OpenRouterErrorsTest {
  private static final ChatRequest REQUEST = ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hello");

  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient.Builder()
      .connectTimeout(Duration.ofSeconds(2))
      .readTimeout(Duration.ofSeconds(2))
      .retryOnConnectionFailure(false)
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

  private OpenRouterProvider provider() {
    return OpenRouterProvider.builder()
        .apiKey(API_KEY)
        .baseUrl(server.url("/api/").toString())
        .client(client)
        .clock(time)
        .build();
  }

  private ProviderException chatFails() {
    ProviderException e = catchThrowableOfType(ProviderException.class,
        () -> provider().chat(REQUEST));
    assertThat(e).as("expected a ProviderException").isNotNull();
    assertThat(e.getMessage()).doesNotContain(API_KEY);
    assertThat(e.bodyExcerpt()).doesNotContain(API_KEY);
    assertThat(e.providerId()).isEqualTo("openrouter");
    return e;
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(400, "{\"error\":{\"message\":\"foo/bar is not a valid model ID\",\"code\":400}}",
            null, ProviderException.class, false, "400", "foo/bar is not a valid model ID", null),
        Arguments.of(401, fixture("error-401.json"), null, AuthenticationException.class, false, "401",
            "No auth credentials found", null),
        Arguments.of(402, fixture("error-402.json"), null, InsufficientCreditsException.class, false,
            "402", "requires more credits", null),
        Arguments.of(403, fixture("error-403-moderation.json"), null, ModerationException.class, false,
            "403", "flagged: harassment", null),
        Arguments.of(404, fixture("error-404-no-endpoint.json"), null, ProviderException.class, false,
            "404", "No endpoints found that support tool use", null),
        Arguments.of(408, "{\"error\":{\"message\":\"Request timed out\",\"code\":408}}", null,
            ProviderException.class, true, "408", "Request timed out", null),
        Arguments.of(429, fixture("error-429.json"), "7", RateLimitedException.class, true, "429",
            "Rate limit exceeded: free-models-per-min", Duration.ofSeconds(7)),
        Arguments.of(500, "{\"error\":{\"message\":\"Internal Server Error\",\"code\":500}}", null,
            ProviderException.class, true, "500", "Internal Server Error", null),
        Arguments.of(502, fixture("error-502-upstream.json"), null, ProviderException.class, true, "502",
            "upstream Together] [upstream said: {\"error\":{\"message\":\"upstream connect error", null),
        Arguments.of(503, fixture("error-503-no-provider.json"), "3", ProviderException.class, true,
            "503", "No allowed providers are available", Duration.ofSeconds(3)),
        Arguments.of(504, "{\"error\":{\"message\":\"Gateway Timeout\",\"code\":504}}", null,
            ProviderException.class, true, "504", "Gateway Timeout", null));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @MethodSource("statuses")
  void errorStatusBecomesTypedError(int status, String body, @Nullable String retryAfter,
      Class<? extends ProviderException> type, boolean retryable, String errorCode, String detail,
      @Nullable Duration expectedRetryAfter) {
    MockResponse.Builder response = new MockResponse.Builder().code(status)
        .addHeader("Content-Type", "application/json").body(body);
    if (retryAfter != null) response.addHeader("Retry-After", retryAfter);
    server.enqueue(response.build());

    ProviderException e = chatFails();

    assertThat(e).isExactlyInstanceOf(type);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.isRetryable()).isEqualTo(retryable);
    assertThat(e.errorCode()).isEqualTo(errorCode);
    assertThat(e.getMessage()).contains("HTTP " + status).contains(detail);
    assertThat(e.bodyExcerpt()).isEqualTo(ProviderException.excerpt(body));
    assertThat(e.retryAfter()).isEqualTo(expectedRetryAfter);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void moderationErrorCarriesTheFlaggedReasons() {
    server.enqueue(new MockResponse.Builder().code(403).body(fixture("error-403-moderation.json")).build());

    ModerationException e = (ModerationException) chatFails();

    assertThat(e.reasons()).containsExactly("harassment");
    assertThat(e.getMessage()).contains("upstream Alibaba");
  }

  @Test
  void nonJsonErrorBodyIsTypedWithStatusAndShortExcerpt() {
    String html = fixture("error-502-html.html");
    server.enqueue(new MockResponse.Builder().code(502).addHeader("Content-Type", "text/html")
        .body(html).build());

    ProviderException e = chatFails();

    assertThat(e).isExactlyInstanceOf(ProviderException.class);
    assertThat(e.statusCode()).isEqualTo(502);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.errorCode()).isNull();
    assertThat(e.getMessage()).contains("HTTP 502").contains("not JSON").contains("502 Bad Gateway")
        .doesNotContain("\n");
    assertThat(e.bodyExcerpt()).startsWith("<html>");
  }

  @Test
  void errorObjectInA200BodyIsAnErrorTypedByItsCode() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(fixture("error-in-200-body.json")).build());

    ProviderException e = chatFails();

    assertThat(e).isExactlyInstanceOf(RateLimitedException.class);
    assertThat(e.statusCode()).isZero();
    assertThat(e.errorCode()).isEqualTo("429");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("HTTP 200").contains("Resource has been exhausted")
        .contains("upstream Google");
  }

  @Test
  void bareErrorObjectInA200BodyIsTyped() {
    server.enqueue(new MockResponse.Builder().body(fixture("error-401.json")).build());

    assertThat(chatFails()).isExactlyInstanceOf(AuthenticationException.class);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "{\"id\":\"gen-1\",\"choices\":[",
      "{\"id\":\"gen-1\",\"choices\":\"none\"}",
      "{\"id\":\"gen-1\",\"choices\":[{\"message\":{\"content\":42}}]}",
      "<html><body>OK</body></html>",
      "",
      "{\"id\":\"gen-1\",\"model\":\"m\"}",
  })
  void malformedSuccessBodyIsAProviderExceptionNotAMoshiOne(String body) {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(body).build());

    ProviderException e = chatFails();

    assertThat(e).isExactlyInstanceOf(ProviderException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 200");
    if (!body.contains("\"model\":\"m\"")) {
      assertThat(e.getCause()).isInstanceOf(WireFormatException.class);
      assertThat(e.getMessage()).contains(" at $");
    }
  }

  @Test
  void keyEchoedByTheUpstreamIsRedacted() {
    String body = "{\"error\":{\"message\":\"Incorrect API key provided: " + API_KEY
        + "\",\"code\":401}}";
    server.enqueue(new MockResponse.Builder().code(401).body(body).build());

    ProviderException e = chatFails();

    assertThat(e.getMessage()).contains("Incorrect API key provided: <redacted>");
    assertThat(e.bodyExcerpt()).contains("<redacted>");
  }

  @Test
  void connectionRefusedIsARetryableConnectionError() throws Exception {
    MockWebServer closed = new MockWebServer();
    closed.start(InetAddress.getByName("127.0.0.1"), 0);
    String url = closed.url("/api/").toString();
    closed.close();

    ProviderConnectionException e = catchThrowableOfType(ProviderConnectionException.class,
        () -> provider().newBuilder().baseUrl(url).build().chat(REQUEST));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.timedOut()).isFalse();
    assertThat(e.statusCode()).isZero();
    assertThat(e.getMessage()).contains("before a response arrived").doesNotContain(API_KEY);
  }

  @Test
  void disconnectBeforeTheResponseIsARetryableConnectionError() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .body(fixture("chat-completion.json")).build());

    ProviderConnectionException e = catchThrowableOfType(ProviderConnectionException.class,
        () -> provider().chat(REQUEST));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).doesNotContain(API_KEY);
  }

  @Test
  void disconnectMidBodyIsAConnectionErrorThatIsNotRetried() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(fixture("chat-completion.json"))
        .onResponseBody(new SocketEffect.CloseSocket(true, false, false))
        .build());

    ProviderConnectionException e = catchThrowableOfType(ProviderConnectionException.class,
        () -> provider().chat(REQUEST));

    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("while reading the response").doesNotContain(API_KEY);
  }

  @Test
  void serverThatNeverAnswersTimesOut() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    OpenRouterProvider provider = provider().newBuilder().readTimeout(Duration.ofMillis(200)).build();

    ProviderConnectionException e = catchThrowableOfType(ProviderConnectionException.class,
        () -> provider.chat(REQUEST));

    assertThat(e.timedOut()).isTrue();
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).contains("timed out").doesNotContain(API_KEY);
  }

  @Test
  void callTimeoutEndsTheCallWithoutRetrying() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    OpenRouterProvider provider = provider().newBuilder().callTimeout(Duration.ofMillis(200)).build();

    ProviderConnectionException e = catchThrowableOfType(ProviderConnectionException.class,
        () -> provider.chat(REQUEST));

    assertThat(e.timedOut()).isTrue();
    assertThat(e.isRetryable()).isFalse();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  // Retry-After parsing: the core decides when to retry from retryAfter(); the provider only reads it.

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code)
        .body("{\"error\":{\"message\":\"status " + code + "\",\"code\":" + code + "}}").build();
  }

  @Test
  void retryAfterInSecondsIsCarriedOnARateLimit() {
    server.enqueue(status(429).newBuilder().addHeader("Retry-After", "30").build());

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> provider().chat(REQUEST));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredFromTheInjectedClock() {
    String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        time.instant().plusSeconds(12).atZone(java.time.ZoneOffset.UTC));
    server.enqueue(status(503).newBuilder().addHeader("Retry-After", date).build());

    ProviderException e = chatFails();

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void anHttpDateInThePastMeansNoWait() {
    String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        time.instant().minusSeconds(60).atZone(java.time.ZoneOffset.UTC));
    server.enqueue(status(503).newBuilder().addHeader("Retry-After", date).build());

    assertThat(chatFails().retryAfter()).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    server.enqueue(status(429).newBuilder().addHeader("Retry-After", "9")
        .addHeader("Retry-After-Ms", "1500").build());

    assertThat(chatFails().retryAfter()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aZeroRetryAfterOn503ReachesTheErrorAlthoughOkHttpWouldActOnIt() {
    server.enqueue(status(503).newBuilder().addHeader("Retry-After", "0").build());
    server.enqueue(status(500));

    ProviderException e = chatFails();

    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.retryAfter()).isEqualTo(Duration.ZERO);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "Retry-After: {0}")
  @ValueSource(strings = {"soon", "-5", ""})
  void anUnreadableRetryAfterIsIgnored(String value) {
    server.enqueue(status(503).newBuilder().addHeader("Retry-After", value).build());

    ProviderException e = chatFails();

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.retryAfter()).isNull();
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 401, 402, 403, 404})
  void clientErrorsAreNotRetryableAndCarryNoWait(int code) {
    server.enqueue(status(code).newBuilder().addHeader("Retry-After", "1").build());

    ProviderException e = chatFails();

    assertThat(e.isRetryable()).isFalse();
    assertThat(e.retryAfter()).isNull();
  }
}
