package dev.aperture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.examples.internal.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Governance example runs offline: the guardrail blocks, the budget is charged and then refuses. */
final class GovernanceTest {
  @Test
  void theGuardrailBlocksAndTheBudgetRunsOut() {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    try (Demo demo = Demo.start(Governance.configPath(), name -> null, out)) {
      Governance.run(demo, out);
    }
    String printed = output.toString(StandardCharsets.UTF_8);

    assertThat(printed).contains("Guardrail: no-secrets blocked the call with 422 (prompts must not contain"
        + " private keys); no provider was called");
    assertThat(printed).contains("Call 1: answered; daily:alice@example.com has $");
    assertThat(printed).containsPattern("Call \\d: refused by quota daily:alice@example.com; retry in \\d+ min");
  }
}
