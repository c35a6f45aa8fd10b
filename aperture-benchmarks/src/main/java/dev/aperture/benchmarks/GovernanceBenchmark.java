package dev.aperture.benchmarks;

import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.GuardrailResponse;
import dev.aperture.HookOptions;
import dev.aperture.Router;
import dev.aperture.config.ApertureConfig;
import java.time.Duration;
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
 * What governance adds to a call: {@code router.chat} against the in-memory provider of
 * {@link RoutingBenchmark}, with the caller's grants naming two quota buckets ({@code daily:<user>} and a
 * team bucket, both checked, reserved and settled on every call) and one in-process {@code pre_request}
 * hook that reads the last user message — against the same Router and file without them.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GovernanceBenchmark {
  @State(Scope.Benchmark)
  public static class Governed {
    @Param({"plain", "governed"})
    public String mode;

    Router router;
    Caller caller;
    ChatRequest request;

    @Setup(Level.Trial)
    public void setUp() {
      boolean governed = mode.equals("governed");
      String config = """
          {"grants": [{"src": ["group:eng"], "app": {"tailscale.com/cap/aperture": [
              {"role": "user", "models": "fake/**"%s}]}}]%s}
          """.formatted(
          governed ? ", \"quotas\": [{\"bucket\": \"daily:<user>\"}, {\"bucket\": \"team\"}],"
              + " \"send_hooks\": [{\"name\": \"guard\", \"events\": [\"pre_request\"], \"send\": [\"user_message\"]}]" : "",
          governed ? ", \"quotas\": {\"daily:<user>\": {\"capacity\": \"$1000000.00\", \"rate\": \"$1000000.00/day\"},"
              + " \"team\": {\"capacity\": \"$1000000.00\", \"rate\": \"$1000000.00/day\"}}" : "");
      Router.Builder builder = Router.builder()
          .config(ApertureConfig.parse(config, "GovernanceBenchmark", name -> null))
          .addProvider(new RoutingBenchmark.FakeProvider(), java.util.List.of(RoutingBenchmark.modelName(1)));
      if (governed) {
        // Inline (no timeout thread): a hook that looks at the prompt and allows it.
        builder.addHook("guard", HookOptions.builder().timeout(Duration.ZERO).build(), data ->
            String.valueOf(data.json().get("user_message")).contains("BEGIN PRIVATE KEY")
                ? GuardrailResponse.block("no keys") : GuardrailResponse.allow());
      }
      router = builder.build();
      caller = new Caller("alice@example.com", Set.of("eng"), Set.of());
      request = ChatRequest.of(RoutingBenchmark.modelName(1), "Hello!");
      Checks.expectAnswer("router", router.chat(caller, request).text());
    }
  }

  @Benchmark
  public ChatResponse routerChat(Governed state) {
    return state.router.chat(state.caller, state.request);
  }
}
