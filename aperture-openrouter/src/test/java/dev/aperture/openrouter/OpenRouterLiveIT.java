package dev.aperture.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls OpenRouter for real. Opt-in: runs only with {@code OPENROUTER_API_KEY} set, e.g.
 * {@code OPENROUTER_API_KEY=... mvn -pl aperture-openrouter -am verify -Dtest=OpenRouterLiveIT
 * -Dsurefire.failIfNoSpecifiedTests=false}. The model is free ({@code OPENROUTER_LIVE_MODEL} overrides
 * it); free models are rate limited, so a 429 here is OpenRouter's, not ours.
 */
final class OpenRouterLiveIT {
  private static final String MODEL = Objects.requireNonNullElse(System.getenv("OPENROUTER_LIVE_MODEL"),
      "meta-llama/llama-3.3-70b-instruct:free");

  private OpenRouterProvider provider;

  @BeforeEach
  void setUp() {
    String key = System.getenv("OPENROUTER_API_KEY");
    assumeTrue(key != null && !key.isBlank(), "OPENROUTER_API_KEY is not set");
    provider = OpenRouterProvider.builder()
        .apiKey(key)
        .title("Aperture for Java live test")
        .readTimeout(Duration.ofSeconds(60))
        .build();
  }

  @Test
  void chatsWithAFreeModel() {
    ChatResponse response = provider.chat(ChatRequest.builder().model(MODEL)
        .user("Reply with the single word: pong").maxTokens(10).build());

    assertThat(response.text()).isNotBlank();
    assertThat(response.usage()).isNotNull();
    assertThat(response.id()).startsWith("gen-");
  }

  @Test
  void streamsFromAFreeModel() {
    try (ChatStream stream = provider.stream(ChatRequest.builder().model(MODEL)
        .user("Count from 1 to 5.").maxTokens(30).build())) {
      ChatResponse response = stream.response();

      assertThat(response.text()).isNotBlank();
      assertThat(response.finishReason()).isNotNull();
    }
  }
}
