package dev.aperture.internal.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CostEstimatorTest {
  /** $3 per million prompt tokens, $15 per million completion tokens. */
  private static final CostEstimator.Price PRICE =
      new CostEstimator.Price(new BigDecimal("0.000003"), new BigDecimal("0.000015"));

  private final CostEstimator estimator = new CostEstimator();

  private static Map<String, Object> body(String userText, Integer maxTokens) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("model", "anthropic/claude-sonnet-4");
    body.put("messages", List.of(
        Map.of("role", "system", "content", "Be brief."),
        Map.of("role", "user", "content", userText)));
    if (maxTokens != null) body.put("max_tokens", maxTokens);
    return body;
  }

  @Test
  void promptTokensAreCharactersOverFourPlusPerMessageOverhead() {
    // Strings: "system" 6 + "Be brief." 9 + "user" 4 + 40 = 59 chars → 15 tokens; 2 messages × 4; 3 priming.
    Map<String, Object> body = body("x".repeat(40), null);

    assertThat(CostEstimator.promptTokens(body)).isEqualTo(15 + 8 + 3);
  }

  @Test
  void anInlineImageCountsAFixedNumberOfTokensNotItsBase64() {
    Map<String, Object> body = Map.of("messages", List.of(Map.of("role", "user", "content", List.of(
        Map.of("type", "image_url", "image_url", Map.of("url", "data:image/png;base64," + "A".repeat(100_000)))))));

    // "user" + "image_url" = 13 chars → 4 tokens, one message, priming, one inline image.
    assertThat(CostEstimator.promptTokens(body)).isEqualTo(4 + 4 + 3 + CostEstimator.INLINE_DATA_TOKENS);
  }

  @Test
  void withAPriceAndMaxTokensTheEstimateIsPromptPlusMaxCompletion() {
    Map<String, Object> body = body("x".repeat(40), 1_000);

    // 26 prompt tokens × $0.000003 + 1,000 × $0.000015 = $0.015078.
    assertThat(estimator.estimate("openrouter/anthropic/claude-sonnet-4", PRICE, body)).isEqualTo(15_078_000L);
  }

  @Test
  void theEstimateRoundsUpToTheNanodollar() {
    CostEstimator.Price tiny = new CostEstimator.Price(new BigDecimal("0.0000000001"), BigDecimal.ZERO);

    assertThat(estimator.estimate("m", tiny, 1, 1L)).isEqualTo(1);
  }

  @Test
  void withoutMaxTokensTheEstimateIsWhatTheModelRecentlyCost() {
    estimator.record("m", 8_000);
    estimator.record("m", 16_000); // 8,000 + (16,000 − 8,000) / 8

    assertThat(estimator.estimate("m", null, body("hi", null))).isEqualTo(9_000);
    assertThat(estimator.estimate("other", null, body("hi", null))).isZero();
  }

  @Test
  void withAPriceButNoMaxTokensThePromptCostIsAFloor() {
    Map<String, Object> body = body("x".repeat(40), null); // 26 tokens × $0.000003 = 78,000 nanodollars.

    assertThat(estimator.estimate("m", PRICE, body)).isEqualTo(78_000);
    estimator.record("m", 500_000);
    assertThat(estimator.estimate("m", PRICE, body)).isEqualTo(500_000);
  }

  @Test
  void withNothingKnownTheEstimateIsZeroNotTheWorstCase() {
    assertThat(estimator.estimate("m", null, body("x".repeat(10_000), 100_000))).isZero();
  }
}
