package dev.aperture.benchmarks;

import dev.aperture.ChatResponse;
import dev.aperture.internal.wire.OpenAiChatJson;
import dev.aperture.internal.wire.ParsedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okio.Buffer;
import okio.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gateway's parse and re-encode of a plain call costs, beside the I/O, on the load test's own
 * bytes: the four codec steps one gateway call makes (client body → ChatRequest, ChatRequest → upstream
 * body, upstream body → ChatResponse, ChatResponse → client body), against copying the same bytes
 * through unchanged, which is what a byte pass-through would cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class GatewayCodecBenchmark {
  /** The body scripts/bench-gateway.sh sends. */
  static final ByteString CLIENT_BODY = ByteString.encodeString("{\"model\":\"" + StubUpstream.MODEL
      + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a concise assistant.\"},"
      + "{\"role\":\"user\",\"content\":\"Say hello in one short sentence.\"}],\"temperature\":0.7,"
      + "\"max_tokens\":256}", StandardCharsets.UTF_8);
  private final ByteString upstreamBody = ByteString.of(StubUpstream.chatCompletionBody());
  private final ParsedRequest parsed;
  private final ChatResponse response;

  public GatewayCodecBenchmark() {
    try {
      parsed = OpenAiChatJson.readRequest(new Buffer().write(CLIENT_BODY));
      response = OpenAiChatJson.readResponse(new Buffer().write(upstreamBody), "openrouter", null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** All four steps of one gateway call. */
  @Benchmark
  public long allFourSteps() throws IOException {
    ParsedRequest request = OpenAiChatJson.readRequest(new Buffer().write(CLIENT_BODY));
    Buffer upstream = new Buffer();
    OpenAiChatJson.writeRequest(request.request(), false, upstream);
    ChatResponse answer = OpenAiChatJson.readResponse(new Buffer().write(upstreamBody), "openrouter", null);
    Buffer client = new Buffer();
    OpenAiChatJson.writeResponse(answer, client);
    return upstream.size() + client.size();
  }

  @Benchmark
  public ParsedRequest readClientRequest() throws IOException {
    return OpenAiChatJson.readRequest(new Buffer().write(CLIENT_BODY));
  }

  @Benchmark
  public long writeUpstreamRequest() throws IOException {
    Buffer body = new Buffer();
    OpenAiChatJson.writeRequest(parsed.request(), false, body);
    return body.size();
  }

  @Benchmark
  public ChatResponse readUpstreamResponse() throws IOException {
    return OpenAiChatJson.readResponse(new Buffer().write(upstreamBody), "openrouter", null);
  }

  @Benchmark
  public long writeClientResponse() throws IOException {
    Buffer body = new Buffer();
    OpenAiChatJson.writeResponse(response, body);
    return body.size();
  }

  /** The floor: both bodies copied through as bytes, as a pass-through would. */
  @Benchmark
  public long passThroughBothBodies() {
    Buffer upstream = new Buffer().write(CLIENT_BODY);
    Buffer client = new Buffer().write(upstreamBody);
    return upstream.size() + client.size();
  }
}
