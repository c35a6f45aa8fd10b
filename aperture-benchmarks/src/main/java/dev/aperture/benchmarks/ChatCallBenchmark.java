package dev.aperture.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aperture.ChatRequest;
import dev.aperture.Router;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
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
 * One non-streamed chat call over loopback to {@link StubUpstream}, same request and response bytes, four
 * ways. {@link #rawOkHttp} is the floor; the others are reported as a ratio to it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ChatCallBenchmark {
  private StubUpstream stub;
  private OkHttpClient okHttp;
  private RawOkHttp raw;
  private Router router;
  private ChatRequest request;
  private OpenAIClient openAi;
  private ChatCompletionCreateParams openAiParams;
  private OpenAiChatModel langChain4j;
  private List<dev.langchain4j.data.message.ChatMessage> langChain4jMessages;

  @Setup(Level.Trial)
  @SuppressWarnings("deprecation") // openai-java's maxTokens: kept so every client sends max_tokens
  public void setUp() {
    stub = StubUpstream.start(0);
    okHttp = new OkHttpClient();
    raw = new RawOkHttp(okHttp, stub.baseUrl(), BenchmarkRequest.API_KEY);
    router = BenchmarkRouter.create(stub);
    request = BenchmarkRequest.chatRequest();
    openAi = OpenAIOkHttpClient.builder()
        .baseUrl(stub.baseUrl() + "v1")
        .apiKey(BenchmarkRequest.API_KEY)
        .build();
    openAiParams = ChatCompletionCreateParams.builder()
        .model(BenchmarkRequest.MODEL)
        .addSystemMessage(BenchmarkRequest.SYSTEM)
        .addUserMessage(BenchmarkRequest.USER)
        .temperature(BenchmarkRequest.TEMPERATURE)
        .maxTokens(BenchmarkRequest.MAX_TOKENS) // deprecated, but sends max_tokens: the same bytes as the others
        .build();
    langChain4j = OpenAiChatModel.builder()
        .baseUrl(stub.baseUrl() + "v1")
        .apiKey(BenchmarkRequest.API_KEY)
        .modelName(BenchmarkRequest.MODEL)
        .temperature(BenchmarkRequest.TEMPERATURE)
        .maxTokens(BenchmarkRequest.MAX_TOKENS) // deprecated, but sends max_tokens: the same bytes as the others
        .build();
    langChain4jMessages = List.of(
        SystemMessage.from(BenchmarkRequest.SYSTEM), UserMessage.from(BenchmarkRequest.USER));
    // Fail at set-up, not as a silently fast benchmark, if any way does not really get the answer.
    Checks.expectAnswer("raw", rawOkHttp());
    Checks.expectAnswer("router", router());
    Checks.expectAnswer("openai-java", openAiJava());
    Checks.expectAnswer("langchain4j", langChain4j());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    openAi.close();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
    stub.close();
  }

  /** The floor: OkHttp POST, hand-written Moshi serialisation and parse. */
  @Benchmark
  public String rawOkHttp() {
    return raw.chat().content();
  }

  /** Diagnostic: the floor plus the per-call timeout the OpenRouter provider sets (see RawOkHttp). */
  @Benchmark
  public String rawOkHttpWithCallTimeout() {
    return raw.chatWithCallTimeout().content();
  }

  /** The Router: grants, routing, then the OpenRouter provider (OkHttp + Moshi). */
  @Benchmark
  public String router() {
    return router.chat(BenchmarkRouter.CALLER, request).text();
  }

  /** The official OpenAI Java SDK (OkHttp + Jackson) with its base URL at the stub. */
  @Benchmark
  public String openAiJava() {
    ChatCompletion completion = openAi.chat().completions().create(openAiParams);
    return completion.choices().get(0).message().content().orElse("");
  }

  /** LangChain4j's OpenAiChatModel (JDK HttpClient + Jackson) with its base URL at the stub. */
  @Benchmark
  public String langChain4j() {
    return langChain4j.chat(langChain4jMessages).aiMessage().text();
  }
}
