package dev.aperture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class CustomProviderTest {
  @Test
  void routesPlainAndStreamedCallsToTheApplicationsOwnProvider() {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    CustomProvider.run(new PrintStream(output, true, StandardCharsets.UTF_8));
    assertThat(output.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "Local: this example needs no network; its provider runs in this process.",
        "chat   → local: HELLO FROM A CUSTOM PROVIDER!",
        "stream → [STREAMS ][WORK ][TOO!]");
  }
}
