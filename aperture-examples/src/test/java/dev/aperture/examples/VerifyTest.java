package dev.aperture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.examples.internal.EmbeddedUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class VerifyTest {
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

  @TempDir
  Path directory;

  private int verify(Function<String, @Nullable String> environment, String... args) {
    return Verify.run(args, environment, new PrintStream(output, true, StandardCharsets.UTF_8),
        new PrintStream(errors, true, StandardCharsets.UTF_8));
  }

  private List<String> lines() {
    return output.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void allModelsPassOfflineForAGrantedCallerAndExitZero() {
    int status = verify(name -> null, "--as", "alice@example.com");
    assertThat(status).isZero();
    List<String> lines = lines();
    assertThat(lines.get(0)).startsWith("Offline:");
    assertThat(lines.get(1)).isEqualTo("Verifying as alice@example.com:");
    assertThat(lines.get(2)).startsWith("MODEL").contains("PROVIDER", "LATENCY", "REASON");
    assertThat(lines.subList(3, 6)).allSatisfy(line -> assertThat(line).contains("openrouter", "✓", " ms"));
    assertThat(lines.get(6)).isEqualTo("3 models, 3 ok, 0 failed");
  }

  @Test
  void ungrantedAndUnknownModelsFailWithTheirReasonAndExitOne() {
    int status = verify(name -> null, "--as", "bob@example.com", "qwen/qwen3-235b-a22b-2507",
        "x-ai/grok-code-fast-1", "qwen/qwen3");
    assertThat(status).isEqualTo(1);
    List<String> lines = lines();
    assertThat(lines.get(3)).contains("qwen/qwen3-235b-a22b-2507", "✓");
    assertThat(lines.get(4)).contains("x-ai/grok-code-fast-1", "✗",
        "not granted: caller 'bob@example.com' is not granted model 'x-ai/grok-code-fast-1'");
    assertThat(lines.get(5)).contains("qwen/qwen3 ", "✗",
        "unknown model:", "did you mean 'qwen/qwen3-235b-a22b-2507'?");
    assertThat(lines.get(6)).isEqualTo("3 models, 1 ok, 2 failed");
  }

  @Test
  void groupsOnTheCommandLineCountAsTheCallers() {
    assertThat(verify(name -> null, "--as", "bob@example.com", "--group", "eng", "x-ai/grok-code-fast-1")).isZero();
    assertThat(lines().get(1)).isEqualTo("Verifying as bob@example.com group:eng:");
  }

  @Test
  void aWrongKeyAndAnUnreachableProviderAreNamedAsSuch() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (EmbeddedUpstream upstream = EmbeddedUpstream.start("sk-or-the-right-key", List.of("qwen/qwen3-235b-a22b-2507"))) {
      Path config = directory.resolve("verify.hujson");
      Files.writeString(config, """
          {
            "providers": {
              // The embedded upstream wants another key.
              "wrongkey": {"type": "openrouter", "baseurl": "%s", "apikey": "${OPENROUTER_API_KEY}",
                           "models": ["qwen/qwen3-235b-a22b-2507"]},
              "down": {"type": "openrouter", "baseurl": "http://127.0.0.1:%d/api/", "apikey": "x",
                       "models": ["x-ai/grok-code-fast-1"]},
            },
            "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"]}]}}],
          }""".formatted(upstream.baseUrl(), closedPort));
      int status = verify(Map.of("OPENROUTER_API_KEY", "sk-or-wrong")::get, "--config", config.toString());
      assertThat(status).isEqualTo(1);
    }
    List<String> lines = lines();
    assertThat(lines.get(0)).startsWith("Online:");
    assertThat(lines.get(3)).contains("wrongkey/qwen/qwen3-235b-a22b-2507", "✗", "bad key:");
    assertThat(lines.get(4)).contains("down/x-ai/grok-code-fast-1", "✗", "unreachable:");
  }

  @Test
  void aMissingConfigurationFileIsExitTwo() {
    assertThat(verify(name -> null, "--config", directory.resolve("absent.hujson").toString())).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("cannot read");
  }

  @Test
  void unknownOptionsAreExitTwoWithUsage() {
    assertThat(verify(name -> null, "--frobnicate")).isEqualTo(2);
    assertThat(errors.toString(StandardCharsets.UTF_8)).contains("unknown option --frobnicate", "usage: Verify");
  }
}
