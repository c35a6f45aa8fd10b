package dev.aperture.examples;

import dev.aperture.Caller;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Router;
import dev.aperture.Usage;
import dev.aperture.examples.internal.Demo;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/**
 * The demo: one routed chat call and one streamed call, as alice@example.com, through the configuration
 * in {@code aperture.hujson}. Offline unless {@code OPENROUTER_API_KEY} is set.
 */
public final class QuickStart {
  static final String MODEL = "qwen/qwen3-235b-a22b-2507";

  private QuickStart() {
  }

  public static void main(String[] args) {
    try (Demo demo = Demo.start(System.out)) {
      run(demo, System.out);
    }
  }

  public static void run(Demo demo, PrintStream out) {
    // In an application: Router.builder().config(ApertureConfig.load(Path.of("aperture.hujson")))...
    Router router = Router.builder()
        .config(demo.config())
        .addProviderFactory(new OpenRouterProviderFactory())
        .build();
    Caller alice = Caller.of("alice@example.com");

    ChatRequest question = ChatRequest.builder()
        .model(MODEL)
        .user("In one sentence: what does an LLM router do?")
        .maxTokens(200)
        .build();
    ChatResponse response = router.chat(alice, question);
    out.println("Routed answer (" + response.provider() + " → " + response.model() + "):");
    out.println("  " + response.text().strip());
    out.println("  " + describe(response.usage()));

    out.println("Streamed answer (" + MODEL + "):");
    out.print("  ");
    ChatRequest greeting = ChatRequest.builder()
        .model(MODEL)
        .user("Say hello in three languages, on one line.")
        .maxTokens(200)
        .build();
    try (ChatStream stream = router.stream(alice, greeting)) {
      for (ChatChunk chunk : stream) {
        out.print(chunk.text());
        out.flush();
      }
      out.println();
      out.println("  " + describe(stream.response().usage()));
    }
  }

  static String describe(@Nullable Usage usage) {
    if (usage == null) return "(no usage reported)";
    return usage.promptTokens() + " prompt + " + usage.completionTokens() + " completion tokens"
        + (usage.cost() != null ? ", cost $" + usage.cost().toPlainString() : "");
  }
}
