package dev.aperture.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.config.ProviderConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DemoTest {
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  private String printed() {
    return output.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theRepositorysConfigurationHasTheSeedProviderAndGrants() {
    Path path = Demo.defaultConfigPath();
    assertThat(path).exists();
    try (Demo demo = Demo.start(path, Map.of("OPENROUTER_API_KEY", "sk-or-real")::get, out)) {
      ProviderConfig openrouter = demo.config().providers().get("openrouter");
      assertThat(openrouter.baseUrl()).isEqualTo("https://openrouter.ai/api/");
      assertThat(openrouter.apiKey().reveal()).isEqualTo("sk-or-real");
      assertThat(openrouter.models()).containsExactly(
          "qwen/qwen3-235b-a22b-2507", "google/gemini-2.5-pro-preview", "x-ai/grok-code-fast-1");
      assertThat(demo.config().hasGrants()).isTrue();
      assertThat(demo.config().grants()).isNotEmpty();
      assertThat(demo.isOffline()).isFalse();
      assertThat(demo.upstream()).isNull();
    }
    assertThat(printed()).startsWith("Online: OPENROUTER_API_KEY is set; calling openrouter → https://openrouter.ai/api/");
  }

  @Test
  void withoutAKeyPointsOpenRouterAtTheEmbeddedUpstreamAndSaysSoFirst() {
    try (Demo demo = Demo.start(Demo.defaultConfigPath(), name -> null, out)) {
      ProviderConfig openrouter = demo.config().providers().get("openrouter");
      assertThat(demo.isOffline()).isTrue();
      assertThat(openrouter.baseUrl()).isEqualTo(demo.upstream().baseUrl()).startsWith("http://127.0.0.1:");
      assertThat(openrouter.apiKey().reveal()).isEqualTo(EmbeddedUpstream.DEMO_KEY);
      assertThat(openrouter.models()).hasSize(3);
      List<String> lines = printed().lines().toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).startsWith("Offline: OPENROUTER_API_KEY is not set, so provider openrouter points at "
          + "an embedded OpenRouter stand-in on " + demo.upstream().baseUrl());
    }
  }

  @Test
  void apertureOfflineForcesOfflineEvenWithAKey() {
    try (Demo demo = Demo.start(Demo.defaultConfigPath(),
        Map.of("OPENROUTER_API_KEY", "sk-or-real", "APERTURE_OFFLINE", "1")::get, out)) {
      assertThat(demo.isOffline()).isTrue();
      assertThat(demo.config().providers().get("openrouter").apiKey().reveal()).isEqualTo(EmbeddedUpstream.DEMO_KEY);
    }
    assertThat(printed()).startsWith("Offline: APERTURE_OFFLINE is set");
  }

  @Test
  void closingStopsTheEmbeddedUpstream() throws Exception {
    Demo demo = Demo.start(Demo.defaultConfigPath(), name -> null, out);
    String url = demo.upstream().baseUrl();
    demo.close();
    try (java.net.Socket socket = new java.net.Socket()) {
      int port = java.net.URI.create(url).getPort();
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000))
          .isInstanceOf(java.net.ConnectException.class);
    }
  }
}
