package dev.aperture.benchmarks;

import com.squareup.moshi.JsonReader;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.internal.wire.OpenAiChatJson;
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
 * Where the Router's per-call CPU goes beside I/O: the SDK's wire codec against the hand-written floor on
 * the same bytes, with no network. Explains the chat and streaming ratios; not a target of its own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CodecBenchmark {
  private final ByteString responseBytes = ByteString.of(StubUpstream.chatCompletionBody());
  private final ByteString chunkBytes = ByteString.encodeString(
      StubUpstream.streamEvents()[1].substring("data: ".length()).trim(), StandardCharsets.UTF_8);
  private final ChatRequest request = BenchmarkRequest.chatRequest();

  @Benchmark
  public ChatResponse sdkReadResponse() throws IOException {
    return OpenAiChatJson.readResponse(new Buffer().write(responseBytes), "openrouter", null);
  }

  @Benchmark
  public RawOkHttp.Completion rawReadResponse() throws IOException {
    return RawOkHttp.parse(JsonReader.of(new Buffer().write(responseBytes)));
  }

  @Benchmark
  public ChatChunk sdkReadChunk() throws IOException {
    return OpenAiChatJson.readChunk(new Buffer().write(chunkBytes));
  }

  @Benchmark
  public RawOkHttp.Completion rawReadChunk() throws IOException {
    return RawOkHttp.parse(JsonReader.of(new Buffer().write(chunkBytes)));
  }

  @Benchmark
  public ByteString sdkWriteRequest() throws IOException {
    Buffer body = new Buffer();
    OpenAiChatJson.writeRequest(request, false, body);
    return body.readByteString();
  }

  @Benchmark
  public ByteString rawWriteRequest() {
    return RawOkHttp.requestBody(false);
  }
}
