package dev.aperture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.examples.internal.EmbeddedUpstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway command: which upstream it uses, and what it prints (never a credential, never a stack trace). */
final class GatewayTest {
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
  private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

  @TempDir
  Path directory;

  private Path config(String baseUrl) throws IOException {
    Path file = directory.resolve("gateway.hujson");
    Files.writeString(file, """
        {
          "providers": {
            "openrouter": {"baseurl": "%s", "apikey": "${OPENROUTER_API_KEY}", "models": ["qwen/qwen3-235b-a22b-2507"]},
          },
          "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"]}]}}],
        }""".formatted(baseUrl));
    return file;
  }

  private String printed() {
    return outBytes.toString(StandardCharsets.UTF_8);
  }

  private String errors() {
    return errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aNamedFileWithoutItsKeyIsAConfigurationErrorNotASilentStandIn() throws IOException {
    Path file = config("https://openrouter.ai/api/");
    Gateway.Running running = Gateway.launch(new String[] {"--config", file.toString(), "--port", "0"},
        name -> null, out, err);
    assertThat(running).isNull();
    List<String> lines = errors().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Gateway: " + file + " has 1 problem:");
    assertThat(lines.get(1)).contains("OPENROUTER_API_KEY is not set");
    assertThat(lines).hasSize(2);
    assertThat(errors()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(printed()).doesNotContain("Offline").doesNotContain("stand-in");
  }

  @Test
  void aNamedFileIsUsedAsWrittenAndItsCredentialsAreNeverPrinted() throws IOException {
    try (EmbeddedUpstream upstream = EmbeddedUpstream.start()) {
      String base = upstream.baseUrl().replace("http://", "http://proxyuser:proxy-SENTINEL-pass@");
      Path file = config(base);
      Gateway.Running running = Gateway.launch(new String[] {"--config", file.toString(), "--port", "0"},
          Map.of("OPENROUTER_API_KEY", EmbeddedUpstream.DEMO_KEY)::get, out, err);
      assertThat(running).isNotNull();
      try (running) {
        assertThat(printed().lines().findFirst().orElseThrow())
            .startsWith("Using " + file + " as written: calling openrouter → http://<redacted>@127.0.0.1:");
        assertThat(printed()).doesNotContain("proxy-SENTINEL-pass").doesNotContain("proxyuser")
            .doesNotContain(EmbeddedUpstream.DEMO_KEY);
        assertThat(running.demo().isOffline()).isFalse();
      }
    }
  }

  @Test
  void offlineIsUsedOnlyWhenAskedForAndSaysSoFirst() throws IOException {
    Path file = config("https://openrouter.ai/api/");
    Gateway.Running running = Gateway.launch(new String[] {"--config", file.toString(), "--offline", "--port", "0"},
        name -> null, out, err);
    assertThat(running).isNotNull();
    try (running) {
      assertThat(printed().lines().findFirst().orElseThrow())
          .startsWith("Offline: --offline is given, so provider openrouter points at an embedded OpenRouter stand-in");
      OkHttpClient client = new OkHttpClient();
      try (Response response = client.newCall(new Request.Builder()
          .url(running.gateway().baseUrl() + "/models").build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().string()).contains("openrouter/qwen/qwen3-235b-a22b-2507");
      }
      client.dispatcher().executorService().shutdown();
    }
  }

  @Test
  void theExamplesOwnFileWithoutAKeyRunsOfflineAndSaysSoFirst() {
    Gateway.Running running = Gateway.launch(new String[] {"--port", "0"}, name -> null, out, err);
    assertThat(running).isNotNull();
    try (running) {
      assertThat(printed().lines().findFirst().orElseThrow()).startsWith("Offline: OPENROUTER_API_KEY is not set");
      assertThat(printed()).contains("Aperture gateway on http://127.0.0.1:");
    }
  }

  @Test
  void aBadFlagPrintsTheUsageNotAStackTrace() {
    assertThat(Gateway.launch(new String[] {"--port", "eighty"}, name -> null, out, err)).isNull();
    assertThat(errors()).startsWith("Gateway: --port needs a number; got eighty").contains("usage: Gateway");
  }
}
