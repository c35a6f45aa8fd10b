package dev.aperture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.examples.internal.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Every example that uses the demo configuration runs offline and shows what it is about. */
final class OfflineExamplesTest {
  private static String run(BiConsumer<Demo, PrintStream> example) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    try (Demo demo = Demo.start(Demo.defaultConfigPath(), name -> null, out)) {
      example.accept(demo, out);
    }
    return output.toString(StandardCharsets.UTF_8);
  }

  @Test
  void streamingPrintsTheTextThenTheAccumulatedResponseAndStopsASecondStreamEarly() {
    String printed = run(Streaming::run);
    assertThat(printed).contains("You said: \"Write a haiku about routing packets.\"");
    assertThat(printed).containsPattern("\\d+ chunks from openrouter; finish reason stop; \\d+ prompt");
    assertThat(printed).contains("closing the stream early");
  }

  @Test
  void toolCallsMakesTheFullRoundTrip() {
    String printed = run(ToolCalls::run);
    assertThat(printed).contains("model calls get_weather({\"city\":\"Paris\"})");
    assertThat(printed).contains("tool returns {\"city\":\"Paris\",\"temperature_c\":18");
    assertThat(printed).contains("final answer: According to the tool, {\"city\":\"Paris\"");
  }

  @Test
  void accessControlAllowsGrantedCallersAndDeniesTheRest() {
    String printed = run(AccessControl::run);
    assertThat(printed).contains("alice@example.com may use [openrouter/qwen/qwen3-235b-a22b-2507, "
        + "openrouter/google/gemini-2.5-pro-preview, openrouter/x-ai/grok-code-fast-1]");
    assertThat(printed).contains("mallory@example.com may use [openrouter/qwen/qwen3-235b-a22b-2507]");
    assertThat(printed.lines().filter(line -> line.contains(": allowed,")).count()).isEqualTo(2);
    assertThat(printed.lines().filter(line -> line.contains(": denied (")).count()).isEqualTo(2);
  }
}
