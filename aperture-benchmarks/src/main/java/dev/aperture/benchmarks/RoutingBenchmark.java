package dev.aperture.benchmarks;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Provider;
import dev.aperture.ProviderFactory;
import dev.aperture.Router;
import dev.aperture.Usage;
import dev.aperture.config.ApertureConfig;
import dev.aperture.config.Grant;
import dev.aperture.config.ProviderConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The routing decision alone: {@code router.chat(caller, request)} against an in-memory provider that
 * returns a prebuilt response, so the only cost is the Router's (interceptor chain, registry lookup,
 * grant check, format check). The baseline calls the same provider directly.
 *
 * <p>The configuration is the worst case a real file gives: one provider with {@code models} models, and
 * {@code grants} grants of which only the last applies to the caller (every other grant names another
 * user or group), asking for the last model configured by its bare name.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RoutingBenchmark {
  static final String PROVIDER_ID = "fake";

  /** The provider alone: what a call would cost with no Router in front. */
  @State(Scope.Benchmark)
  public static class Direct {
    final FakeProvider provider = new FakeProvider();
    final ChatRequest request = ChatRequest.of(modelName(9), "Hello!");
  }

  @State(Scope.Benchmark)
  public static class Routed {
    @Param({"10", "1000", "10000"})
    public int models;

    @Param({"10", "100", "1000"})
    public int grants;

    Router router;
    Caller caller;
    ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() {
      router = Router.builder()
          .config(config(models, grants))
          .addProviderFactory(new FakeProviderFactory())
          .build();
      caller = new Caller("alice@example.com", Set.of("eng"), Set.of());
      request = ChatRequest.of(modelName(models - 1), "Hello!");
      Checks.expectAnswer("router", router.chat(caller, request).text());
    }
  }

  @Benchmark
  public ChatResponse providerDirect(Direct state) {
    return state.provider.chat(state.request);
  }

  @Benchmark
  public ChatResponse routerChat(Routed state) {
    return state.router.chat(state.caller, state.request);
  }

  static String modelName(int i) {
    return "vendor" + (i % 100) + "/model-" + i;
  }

  /** One provider serving {@code modelCount} models; {@code grantCount} grants, only the last for alice. */
  static ApertureConfig config(int modelCount, int grantCount) {
    List<String> models = new ArrayList<>(modelCount);
    for (int i = 0; i < modelCount; i++) models.add(modelName(i));
    ProviderConfig provider = ProviderConfig.of(PROVIDER_ID, "http://127.0.0.1:9/", ApiKey.none(), models);
    List<Grant> grants = new ArrayList<>(grantCount);
    for (int i = 0; i < grantCount - 1; i++) {
      grants.add(new Grant(List.of("user" + i + "@example.com", "group:team" + i),
          List.of(new Grant.Capability("user", List.of(PROVIDER_ID + "/vendor" + (i % 100) + "/*"), List.of()))));
    }
    grants.add(new Grant(List.of("group:eng"),
        List.of(new Grant.Capability("user", List.of(PROVIDER_ID + "/**"), List.of()))));
    return new ApertureConfig(Map.of(PROVIDER_ID, provider), grants, true, Map.of(), Map.of(), List.of(),
        "RoutingBenchmark");
  }

  /** Builds the in-memory provider for the configuration's {@code fake} entry. */
  static final class FakeProviderFactory implements ProviderFactory {
    @Override
    public String type() {
      return PROVIDER_ID;
    }

    @Override
    public Provider create(ProviderConfig config) {
      return new FakeProvider();
    }
  }

  /** Answers every call with one prebuilt response: no I/O, no parsing, no allocation. */
  static final class FakeProvider implements Provider {
    private static final ChatResponse RESPONSE = ChatResponse.builder()
        .id(StubUpstream.GENERATION_ID)
        .model(StubUpstream.MODEL)
        .provider(PROVIDER_ID)
        .servedBy("Alibaba")
        .created(1764000000L)
        .addChoice(Choice.builder().message(Message.assistant(Checks.ANSWER))
            .finishReason(FinishReason.of("stop")).nativeFinishReason("stop").build())
        .usage(Usage.of(9, 10))
        .generationId(StubUpstream.GENERATION_ID)
        .build();

    @Override
    public String id() {
      return PROVIDER_ID;
    }

    @Override
    public Set<ApiFormat> apiFormats() {
      return Set.of(ApiFormat.OPENAI_CHAT);
    }

    /** One prebuilt response per model, answering from the model asked for, as an upstream does. */
    private final java.util.concurrent.ConcurrentHashMap<String, ChatResponse> responses =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public ChatResponse chat(ChatRequest request) {
      return responses.computeIfAbsent(request.model(), model -> RESPONSE.newBuilder().model(model).build());
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      throw new UnsupportedOperationException("the routing benchmark does not stream");
    }
  }
}
