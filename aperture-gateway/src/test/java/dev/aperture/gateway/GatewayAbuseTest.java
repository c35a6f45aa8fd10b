package dev.aperture.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.ApiFormat;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.ChunkSource;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Provider;
import dev.aperture.ProviderFactory;
import dev.aperture.Router;
import dev.aperture.Usage;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.ProviderConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that attack the gateway by being slow or big, 50 at a time, all on 127.0.0.1 and bounded in
 * count and time; while they run, a normal request must still be answered. The target is 200 ms
 * on a quiet machine; CI shares two cores with other builds, so the assertion is a generous 2 s and the
 * measured figures are printed for the benchmark notes.
 */
final class GatewayAbuseTest {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final int ATTACKERS = 50;
  private static final Duration NORMAL_REQUEST_BOUND = Duration.ofSeconds(2);
  private static final String CONFIG = """
      {
        "providers": {"fake": {"baseurl": "http://127.0.0.1:9/", "apikey": "k", "models": ["m/one"]}},
        "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"]}]}}],
      }""";
  private static final ConcurrentLinkedQueue<String> MEASURED = new ConcurrentLinkedQueue<>();
  private static final AtomicLong MAX_PULLED = new AtomicLong();

  private final FirehoseProvider provider = new FirehoseProvider();
  private final OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
  private ApertureGateway gateway;

  @BeforeEach
  void setUp() throws IOException {
    Router router = Router.builder()
        .config(ApertureConfig.parse(CONFIG, "abuse.hujson", name -> null))
        .addProviderFactory(new ProviderFactory() {
          @Override
          public String type() {
            return "fake";
          }

          @Override
          public Provider create(ProviderConfig config) {
            return provider;
          }
        })
        .build();
    gateway = ApertureGateway.builder()
        .router(router)
        .port(0)
        .maxHeaderSize(8 * 1024)
        .maxBodySize(64 * 1024)
        .requestTimeout(Duration.ofSeconds(2))
        .writeStallTimeout(Duration.ofSeconds(1))
        .workerThreads(16)
        .maxQueuedCalls(128)
        .maxConcurrentStreams(64)
        .build();
    gateway.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    trickler.shutdownNow();
    for (Socket socket : sockets) socket.close();
    gateway.shutdown(Duration.ZERO);
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @AfterAll
  static void printMeasurements() {
    System.out.println("GatewayAbuseTest normal-request latency under attack: " + MEASURED + "; most bytes one stream pulled: " + MAX_PULLED);
  }

  @Test
  void fiftyTricklingClientsAreCutOffAndDoNotDelayOthers() throws Exception {
    for (int i = 0; i < ATTACKERS; i++) {
      Socket socket = connect();
      socket.getOutputStream().write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
          .getBytes(US_ASCII));
    }
    // One more header byte to each every 100 ms: the request never completes, the connection never idles.
    trickler.scheduleAtFixedRate(() -> {
      for (Socket socket : sockets) {
        try {
          socket.getOutputStream().write('a');
        } catch (IOException closedByTheGateway) {
          // Expected once the request timeout cuts it off.
        }
      }
    }, 0, 100, TimeUnit.MILLISECONDS);

    assertNormalRequestAnswersPromptly("50 trickling clients");

    // Each is answered 408 within the 2 s request limit (read timeout 10 s) and closed.
    for (Socket socket : sockets) {
      assertThat(readToEnd(socket)).startsWith("HTTP/1.1 408 ").contains("request_timeout");
    }
  }

  @Test
  void fiftyStreamClientsThatNeverReadPauseTheirUpstreamAndAreCancelled() throws Exception {
    byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: %d\r\n\r\n%s").formatted(STREAM_BODY.length(), STREAM_BODY).getBytes(US_ASCII);
    for (int i = 0; i < ATTACKERS; i++) {
      Socket socket = connect();
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      // ...and never read.
    }
    assertThat(provider.opened.await(20, TimeUnit.SECONDS)).as("all streams opened").isTrue();

    assertNormalRequestAnswersPromptly("50 non-reading stream clients");

    // After the 1 s write-stall limit every stream is cancelled upstream and its connection closed.
    assertThat(provider.cancelled.await(20, TimeUnit.SECONDS)).as("all streams cancelled").isTrue();
    // While a client did not read, its stream was not pulled: far less than a firehose would give in a
    // second (hundreds of MB), only what fits the socket buffers and the gateway's 64 KiB high-water mark.
    MAX_PULLED.set(provider.maxBytesPulledByOneStream.get());
    assertThat(provider.maxBytesPulledByOneStream.get()).isLessThan(4L * 1024 * 1024);
    for (Socket socket : sockets) {
      assertThat(closedWithin(socket)).isTrue();
    }
  }

  @Test
  void headerFloodsAreRefusedWith431AndClosed() throws Exception {
    String header = "X-Flood: " + "f".repeat(1000) + "\r\n";
    for (int i = 0; i < ATTACKERS; i++) {
      Socket socket = connect();
      OutputStream out = socket.getOutputStream();
      out.write("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(US_ASCII));
      try {
        for (int line = 0; line < 64; line++) out.write(header.getBytes(US_ASCII)); // 64 KB of headers
      } catch (SocketException refused) {
        // The gateway may stop reading and close before the flood is all sent.
      }
    }

    assertNormalRequestAnswersPromptly("50 header floods");

    for (Socket socket : sockets) {
      String received = readToEnd(socket);
      assertThat(received).satisfiesAnyOf(
          text -> assertThat(text).startsWith("HTTP/1.1 431 ").contains("headers_too_large"),
          // A reset can overtake the answer when the client is still sending as the gateway closes.
          text -> assertThat(text).isEmpty());
    }
  }

  @Test
  void hugeBodiesAreRefusedWithoutBeingBuffered() throws Exception {
    for (int i = 0; i < ATTACKERS; i++) {
      Socket socket = connect();
      OutputStream out = socket.getOutputStream();
      if (i % 2 == 0) {
        // Declared far over the limit: answered at once, before any body byte.
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 10000000000\r\n\r\n{\"model\":\"m/one\",").getBytes(US_ASCII));
      } else {
        // Chunked, so the size shows only as it arrives: refused once past 64 KiB.
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(US_ASCII));
        byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(US_ASCII);
        try {
          for (int n = 0; n < 8; n++) out.write(chunk); // 128 KiB
        } catch (SocketException refused) {
          // Fine: the answer is already there to read.
        }
      }
    }

    assertNormalRequestAnswersPromptly("50 huge bodies");

    for (Socket socket : sockets) {
      assertThat(readToEnd(socket)).startsWith("HTTP/1.1 400 ").contains("request_too_large");
    }
    assertThat(provider.chatCalls.get()).isEqualTo(1); // Only the normal request reached the provider.
  }

  private static final String STREAM_BODY =
      "{\"model\":\"m/one\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";

  private void assertNormalRequestAnswersPromptly(String during) throws IOException {
    Request request = new Request.Builder().url(gateway.baseUrl() + "/chat/completions")
        .post(RequestBody.create("{\"model\":\"m/one\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", JSON))
        .build();
    long start = System.nanoTime();
    try (Response response = client.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).contains("echo: hi");
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    MEASURED.add(during + ": " + elapsed.toMillis() + " ms");
    assertThat(elapsed).isLessThan(NORMAL_REQUEST_BOUND);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096); // A client that reads nothing should hold little in its own buffer.
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), gateway.port()), 5_000);
    sockets.add(socket);
    return socket;
  }

  /** Reads until the gateway closes (a SocketTimeoutException after 10 s if it never does). */
  private static String readToEnd(Socket socket) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; out.size() < 1024 * 1024 && (n = socket.getInputStream().read(buffer)) != -1; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // A reset is a close too.
    }
    return out.toString(US_ASCII);
  }

  /** True once the gateway closed the connection: reads (and drops) what it sent until the end. */
  private static boolean closedWithin(Socket socket) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try {
      for (long total = 0; total < 64L * 1024 * 1024; ) {
        int n = socket.getInputStream().read(buffer);
        if (n == -1) return true;
        total += n;
      }
    } catch (SocketException reset) {
      return true;
    }
    return false;
  }

  /** Answers chat calls at once; streams 16 KB chunks as fast as they are pulled, until cancelled. */
  static final class FirehoseProvider implements Provider {
    final AtomicInteger chatCalls = new AtomicInteger();
    final CountDownLatch opened = new CountDownLatch(ATTACKERS);
    final CountDownLatch cancelled = new CountDownLatch(ATTACKERS);
    final AtomicLong maxBytesPulledByOneStream = new AtomicLong();
    private static final String PIECE = "z".repeat(16 * 1024);

    @Override
    public String id() {
      return "fake";
    }

    @Override
    public Set<ApiFormat> apiFormats() {
      return Set.of(ApiFormat.OPENAI_CHAT);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      chatCalls.incrementAndGet();
      String text = request.messages().isEmpty() ? "" : request.messages().get(0).text();
      Choice choice = Choice.of(0, Message.assistant("echo: " + text), FinishReason.STOP);
      return ChatResponse.builder().id("resp-1").model(request.model()).provider("fake").created(1).addChoice(choice).usage(Usage.of(1, 2)).build();
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      opened.countDown();
      AtomicLong pulled = new AtomicLong();
      return ChatStream.of("fake", new ChunkSource() {
        volatile boolean stopped;

        @Override
        public @Nullable ChatChunk next() throws IOException {
          if (stopped) throw new IOException("cancelled");
          long total = pulled.addAndGet(PIECE.length());
          maxBytesPulledByOneStream.accumulateAndGet(total, Math::max);
          if (total > 1024L * 1024 * 1024) throw new IOException("a stream pulled 1 GiB: no back-pressure");
          return ChatChunk.builder().id("chunk").model("m/one").created(1)
              .addChoice(ChatChunk.Choice.of(0, ChatChunk.Delta.ofContent(PIECE), null)).build();
        }

        @Override
        public boolean sawEndMarker() {
          return false;
        }

        @Override
        public void cancel() {
          if (!stopped) {
            stopped = true;
            cancelled.countDown();
          }
        }
      });
    }
  }
}
