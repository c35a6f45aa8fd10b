package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.config.ApertureConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's OpenRouter configuration, loaded from HuJSON and routed end to end through grants. */
class SeedConfigRoutingTest {
  private final Configs.FakeFactory openrouter = new Configs.FakeFactory("openrouter");

  private ApertureConfig seed(String grantsOverride) throws IOException {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/aperture-openrouter.hujson")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (grantsOverride != null) {
      text = text.replace("\"src\": [\"*\"]", grantsOverride);
    }
    Map<String, String> env = Map.of("OPENROUTER_API_KEY", "sk-or-v1-seedkey");
    return ApertureConfig.parse(text, "aperture-openrouter.hujson", env::get);
  }

  @Test
  void routesAChatFromTheSeedConfigurationThroughGrantsToTheProvider() throws IOException {
    ApertureConfig config = seed(null);
    Router router = Router.builder().config(config).addProviderFactory(openrouter).build();

    ChatResponse response = router.chat(Caller.anonymous(),
        ChatRequest.of("openrouter/x-ai/grok-code-fast-1", "Hello"));

    assertThat(response.provider()).isEqualTo("openrouter");
    assertThat(openrouter.built.get("openrouter").requests)
        .extracting(ChatRequest::model).containsExactly("x-ai/grok-code-fast-1");
    assertThat(config.providers().get("openrouter").apiKey().reveal()).isEqualTo("sk-or-v1-seedkey");
    assertThat(router.models(Caller.anonymous())).extracting(ModelInfo::id).containsExactly(
        "openrouter/qwen/qwen3-235b-a22b-2507",
        "openrouter/google/gemini-2.5-pro-preview",
        "openrouter/x-ai/grok-code-fast-1");
  }

  @Test
  void grantsFromTheFileDecideWhoMayCall() throws IOException {
    Router router = Router.builder().config(seed("\"src\": [\"group:eng\"]"))
        .addProviderFactory(openrouter).build();

    assertThat(router.chat(Caller.of("dev@example.com").withGroups("eng"),
        ChatRequest.of("qwen/qwen3-235b-a22b-2507", "hi")).provider()).isEqualTo("openrouter");
    assertThatThrownBy(() -> router.chat(Caller.of("guest@example.com"),
        ChatRequest.of("qwen/qwen3-235b-a22b-2507", "hi")))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void streamsFromTheSeedConfiguration() throws IOException {
    Router router = Router.builder().config(seed(null)).addProviderFactory(openrouter).build();

    try (ChatStream stream = router.stream(ChatRequest.of("google/gemini-2.5-pro-preview", "hi"))) {
      assertThat(stream.response().text()).isEqualTo("Hello");
    }
  }
}
