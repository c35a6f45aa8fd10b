package dev.aperture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.examples.internal.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's demo, offline: the same code path as {@code main}, with no key in the environment. */
final class QuickStartTest {
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  @Test
  void printsTheOfflineNoticeFirstThenARoutedAndAStreamedAnswer() {
    int chatRequests;
    try (Demo demo = Demo.start(Demo.defaultConfigPath(), name -> null, out)) {
      QuickStart.run(demo, out);
      chatRequests = demo.upstream().chatRequestCount();
    }
    List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).startsWith("Offline: OPENROUTER_API_KEY is not set");
    assertThat(lines.get(1)).isEqualTo("Routed answer (openrouter → qwen/qwen3-235b-a22b-2507):");
    assertThat(lines.get(2)).contains("You said: \"In one sentence: what does an LLM router do?\"");
    assertThat(lines.get(3)).matches("  \\d+ prompt \\+ \\d+ completion tokens, cost \\$0\\.\\d+");
    assertThat(lines.get(4)).isEqualTo("Streamed answer (qwen/qwen3-235b-a22b-2507):");
    assertThat(lines.get(5)).contains("You said: \"Say hello in three languages, on one line.\"");
    assertThat(lines.get(6)).matches("  \\d+ prompt \\+ \\d+ completion tokens, cost \\$0\\.\\d+");
    assertThat(lines).hasSize(7);
    assertThat(chatRequests).isEqualTo(2);
  }
}
