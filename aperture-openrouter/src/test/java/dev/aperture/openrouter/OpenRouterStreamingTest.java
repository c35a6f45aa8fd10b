package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.FinishReason;
import dev.aperture.ProviderConnectionException;
import dev.aperture.RateLimitedException;
import dev.aperture.StreamException;
import dev.aperture.ToolCall;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class OpenRouterStreamingTest {
  private static final ChatRequest REQUEST = ChatRequest.of("google/gemini-2.5-pro-preview", "Greet me");

  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient.Builder()
      .connectTimeout(Duration.ofSeconds(5))
      .readTimeout(Duration.ofSeconds(5))
      .retryOnConnectionFailure(false)
      .build();
  private final List<GatedSseBody> gates = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void tearDown() {
    for (GatedSseBody gate : gates) gate.open.countDown();
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

  private static MockResponse sse(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(body).build();
  }

  private GatedSseBody gated(List<String> events, int gate) {
    GatedSseBody body = new GatedSseBody(events, gate);
    gates.add(body);
    return body;
  }

  private static List<ChatChunk> readAll(ChatStream stream) {
    List<ChatChunk> chunks = new ArrayList<>();
    for (ChatChunk chunk : stream) chunks.add(chunk);
    return chunks;
  }

  @Test
  void streamsTextAndFoldsTheUsageOnlyFinalChunk() throws Exception {
    server.enqueue(sse(fixture("stream-basic.sse")));

    try (ChatStream stream = provider().stream(REQUEST)) {
      List<ChatChunk> chunks = readAll(stream);
      ChatResponse response = stream.response();

      assertThat(chunks).hasSize(5);
      assertThat(response.text()).isEqualTo("Grüß Gott 👋!");
      assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(response.choices().get(0).nativeFinishReason()).isEqualTo("STOP");
      assertThat(response.servedBy()).isEqualTo("Google");
      assertThat(response.provider()).isEqualTo("openrouter");
      assertThat(response.usage().totalTokens()).isEqualTo(13);
      assertThat(response.usage().cost()).isEqualByComparingTo("0.0000689");
    }
    RecordedRequest request = server.takeRequest();
    assertThat(request.getBody().utf8()).contains("\"stream\":true");
    assertThat(request.getHeaders().get("Accept")).isEqualTo("text/event-stream");
    assertThat(client.connectionPool().idleConnectionCount()).isEqualTo(1);
  }

  @Test
  void carriesTheGenerationIdHeaderAndFieldsWithoutATypeThroughTheStream() {
    server.enqueue(new MockResponse.Builder()
        .addHeader("Content-Type", "text/event-stream")
        .addHeader("X-Generation-Id", "gen-1764000200-Qq11")
        .body("data: {\"id\":\"gen-1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"hi\",\"refusal\":null,\"reasoning_details\":[{\"type\":\"x\"}]},"
            + "\"logprobs\":{\"content\":[]},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
        .build());

    try (ChatStream stream = provider().stream(REQUEST)) {
      ChatChunk chunk = readAll(stream).get(0);
      assertThat(chunk.choices().get(0).delta().extra())
          .containsEntry("refusal", null)
          .containsKey("reasoning_details");
      assertThat(chunk.choices().get(0).extra()).containsKey("logprobs");
      assertThat(stream.response().generationId()).isEqualTo("gen-1764000200-Qq11");
    }
  }

  @Test
  void joinsToolCallArgumentPiecesByIndex() {
    server.enqueue(sse(fixture("stream-tool-calls.sse")));

    try (ChatStream stream = provider().stream(REQUEST)) {
      ChatResponse response = stream.response();

      assertThat(response.toolCalls()).containsExactly(
          ToolCall.function("call_77ab", "get_weather", "{\"city\":\"Paris\"}"));
      assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(response.usage().cost()).isEqualByComparingTo("0.0000451");
    }
  }

  @Test
  void crlfLineEndsAndTinyReadsGiveTheSameStream() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream")
        .body(fixture("stream-basic.sse").replace("\n", "\r\n"))
        .throttleBody(7, 1, TimeUnit.MILLISECONDS)
        .build());

    try (ChatStream stream = provider().stream(REQUEST)) {
      assertThat(stream.response().text()).isEqualTo("Grüß Gott 👋!");
    }
  }

  @Test
  void midStreamErrorEventIsAStreamErrorKeepingTheTextSoFar() {
    server.enqueue(sse(fixture("stream-mid-error.sse")));

    try (ChatStream stream = provider().stream(REQUEST)) {
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo("The answer is");

      StreamException e = catchThrowableOfType(StreamException.class, chunks::hasNext);

      assertThat(e.partialText()).isEqualTo("The answer is");
      assertThat(e.errorCode()).isEqualTo("server_error");
      assertThat(e.getMessage()).contains("Provider disconnected unexpectedly").doesNotContain(API_KEY);
      assertThat(e.providerId()).isEqualTo("openrouter");
    }
  }

  @Test
  void streamCutWithoutDoneOrFinishReasonIsAStreamError() {
    server.enqueue(sse(fixture("stream-cut.sse")));

    try (ChatStream stream = provider().stream(REQUEST)) {
      StreamException e = catchThrowableOfType(StreamException.class, stream::response);

      assertThat(e.partialText()).isEqualTo("Once upon a time");
      assertThat(e.getMessage()).contains("without [DONE]");
    }
  }

  @Test
  void connectionDroppedMidStreamIsAStreamErrorKeepingTheTextSoFar() {
    String body = fixture("stream-basic.sse");
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/event-stream").body(body)
        .onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build());

    try (ChatStream stream = provider().stream(REQUEST)) {
      StreamException e = catchThrowableOfType(StreamException.class, stream::response);

      assertThat("Grüß Gott 👋!").startsWith(e.partialText());
      assertThat(e.getMessage()).contains("stream").doesNotContain(API_KEY);
    }
  }

  @Test
  void returnsOnceHeadersArriveAndDeliversChunksAsTheyCome() {
    List<String> events = List.of(
        ": OPENROUTER PROCESSING\n\n",
        "data: {\"id\":\"g\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n",
        "data: {\"id\":\"g\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" last\"},"
            + "\"finish_reason\":\"stop\"}]}\n\n",
        "data: [DONE]\n\n");
    GatedSseBody body = gated(events, 2);
    server.enqueue(body.response());

    try (ChatStream stream = provider().stream(REQUEST)) {
      Iterator<ChatChunk> chunks = stream.iterator();
      assertThat(chunks.next().text()).isEqualTo("first");
      assertThat(body.lastSent).as("the last event was sent before the first reached us").isFalse();

      body.open.countDown();
      assertThat(chunks.next().text()).isEqualTo(" last");
      assertThat(chunks.hasNext()).isFalse();
      assertThat(stream.response().text()).isEqualTo("first last");
    }
  }

  @Test
  void keepAliveCommentsDoNotCountAsChunks() {
    List<String> events = List.of(": OPENROUTER PROCESSING\n\n", ": OPENROUTER PROCESSING\n\n",
        "data: {\"id\":\"g\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},"
            + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    GatedSseBody body = gated(events, 1);
    server.enqueue(body.response());

    try (ChatStream stream = provider().stream(REQUEST)) {
      assertThat(stream.hasDelivered()).isFalse();
      body.open.countDown();
      assertThat(readAll(stream)).extracting(ChatChunk::text).containsExactly("hi");
    }
  }

  @Test
  void closingEarlyCancelsTheCallAndLeaksNoConnection() throws Exception {
    List<String> events = List.of(
        "data: {\"id\":\"g\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n",
        ": OPENROUTER PROCESSING\n\n".repeat(2000),
        "data: [DONE]\n\n");
    GatedSseBody body = gated(events, 1);
    server.enqueue(body.response());

    ChatStream stream = provider().stream(REQUEST);
    Iterator<ChatChunk> chunks = stream.iterator();
    assertThat(chunks.next().text()).isEqualTo("a");
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);

    stream.close();
    stream.close(); // Idempotent.

    assertThat(client.connectionPool().connectionCount()).isZero();
    body.open.countDown();
    assertThat(body.clientGone.await(5, TimeUnit.SECONDS)).as("server saw the client leave").isTrue();
    assertThat(chunks.hasNext()).isFalse();
  }

  @Test
  void errorStatusBeforeTheStreamIsTyped() {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "2")
        .body(fixture("error-429.json")).build());

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> provider().stream(REQUEST));

    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    assertThat(e.getMessage()).doesNotContain(API_KEY);
  }

  @Test
  void jsonErrorInsteadOfAStreamIsTyped() {
    server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
        .body(fixture("error-in-200-body.json")).build());

    assertThat(catchThrowableOfType(RateLimitedException.class, () -> provider().stream(REQUEST)))
        .isNotNull();
  }

  @Test
  void connectionFailureBeforeTheStreamIsAConnectionError() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .build());

    ProviderConnectionException e = catchThrowableOfType(ProviderConnectionException.class,
        () -> provider().stream(REQUEST));

    assertThat(e.isRetryable()).isTrue();
  }
}
