package dev.aperture.benchmarks;

import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatStream;
import dev.aperture.Router;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One streamed chat call over loopback ({@value StubUpstream#STREAM_CONTENT_CHUNKS} content chunks, a
 * finish chunk, a usage chunk, {@code [DONE]}): time to the first chunk and time to the end, the Router
 * against a raw OkHttp SSE read that parses each chunk by hand.
 *
 * <p>The {@code *FirstChunk} benchmarks stop the clock at the first chunk; the rest of the stream is read
 * outside the measurement (an invocation-level tear-down) so the connection goes back to the pool as it
 * does in an application, instead of every call paying for a new one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class StreamBenchmark {
  private StubUpstream stub;
  private OkHttpClient okHttp;
  private RawOkHttp raw;
  private RawOkHttp.@Nullable Stream pendingRaw;
  private Router router;
  private ChatRequest request;
  private @Nullable ChatStream pendingRouter;
  private @Nullable Iterator<ChatChunk> pendingRouterChunks;

  @Setup(Level.Trial)
  public void setUp() {
    stub = StubUpstream.start(0);
    okHttp = new OkHttpClient();
    raw = new RawOkHttp(okHttp, stub.baseUrl(), BenchmarkRequest.API_KEY);
    router = BenchmarkRouter.create(stub);
    request = BenchmarkRequest.chatRequest();
    Checks.expectStreamText("raw", rawWholeStream());
    Checks.expectStreamText("router", routerWholeStream());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
    stub.close();
  }

  /** Reads the rest of a stream whose first chunk was measured, outside the measurement. */
  @TearDown(Level.Invocation)
  public void finishPending() {
    if (pendingRaw != null) {
      while (pendingRaw.next() != null) {
        // Drain to [DONE] so the connection is reusable.
      }
      pendingRaw.close();
      pendingRaw = null;
    }
    if (pendingRouter != null && pendingRouterChunks != null) {
      while (pendingRouterChunks.hasNext()) pendingRouterChunks.next();
      pendingRouter.close();
      pendingRouter = null;
      pendingRouterChunks = null;
    }
  }

  @Benchmark
  public RawOkHttp.@Nullable Completion rawFirstChunk() {
    pendingRaw = raw.stream();
    return pendingRaw.next();
  }

  /** Reads every chunk and joins the text, as the Router's accumulated response does. */
  @Benchmark
  public String rawWholeStream() {
    StringBuilder text = new StringBuilder();
    try (RawOkHttp.Stream stream = raw.stream()) {
      for (RawOkHttp.Completion chunk; (chunk = stream.next()) != null; ) {
        if (chunk.content() != null) text.append(chunk.content());
      }
    }
    return text.toString();
  }

  @Benchmark
  public ChatChunk routerFirstChunk() {
    pendingRouter = router.stream(BenchmarkRouter.CALLER, request);
    pendingRouterChunks = pendingRouter.iterator();
    return pendingRouterChunks.next();
  }

  /** Reads every chunk; the Router's stream accumulates the response as it goes. */
  @Benchmark
  public String routerWholeStream() {
    try (ChatStream stream = router.stream(BenchmarkRouter.CALLER, request)) {
      for (ChatChunk chunk : stream) {
        // Each chunk is parsed and accumulated as it is iterated.
      }
      return stream.response().text();
    }
  }
}
