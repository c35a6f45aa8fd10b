package dev.aperture.internal.hooks;

import static dev.aperture.internal.hooks.HookTesting.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.GuardrailResponse;
import dev.aperture.HookCallData;
import dev.aperture.QuotaBucket;
import dev.aperture.Redactor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

final class HookPayloadsTest {
  @Test
  void userMessageIsTheLastUserMessagesTextPartsJoined() {
    Map<String, @Nullable Object> body = Map.of("model", "m", "messages", List.of(
        Map.of("role", "user", "content", "first question"),
        Map.of("role", "assistant", "content", "an answer"),
        Map.of("role", "user", "content", List.of(
            Map.of("type", "text", "text", "look at this"),
            Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png")),
            Map.of("type", "text", "text", "and say what it is"))),
        Map.of("role", "tool", "tool_call_id", "c1", "content", "42")));

    assertThat(HookPayloads.lastUserMessage(body)).isEqualTo("look at this\nand say what it is");
    assertThat(HookPayloads.lastUserMessage(Map.of("model", "m"))).isEmpty();
  }

  @Test
  void anUnknownCostIsLeftOutAndEmptyGrantsAndQuotasAreEmptyObjects() {
    HookCallData data = HookPayloads.build(HookEvent.PRE_REQUEST, Set.of("grants", "estimated_cost", "quotas"),
        context().build(), HookTesting.requestBody());

    assertThat(data.metadata()).containsEntry("grants", Map.of()).containsEntry("quotas", Map.of())
        .doesNotContainKey("estimated_cost");
  }

  @Test
  void unknownSendValuesAreIgnored() {
    HookCallData data = HookPayloads.build(HookEvent.ENTIRE_REQUEST, Set.of("everything", "metadata"),
        context().build(), HookTesting.requestBody());

    assertThat(data.json()).containsOnlyKeys("metadata");
  }

  @Test
  void aRateIsWrittenAsApertureWritesIt() {
    assertThat(HookPayloads.rate(bucket(5_000_000_000L, Duration.ofDays(1)))).isEqualTo("$5.00/day");
    assertThat(HookPayloads.rate(bucket(500_000_000_000L, Duration.ofDays(30)))).isEqualTo("$500.00/month");
    assertThat(HookPayloads.rate(bucket(250_000_000L, Duration.ofHours(1)))).isEqualTo("$0.25/hour");
    assertThat(HookPayloads.rate(bucket(1_000_000_000L, Duration.ofMinutes(1)))).isEqualTo("$1.00/min");
    assertThat(HookPayloads.rate(bucket(70_000_000_000L, Duration.ofDays(7)))).isEqualTo("$70.00/week");
    assertThat(HookPayloads.rate(bucket(1_000_000_000L, Duration.ofSeconds(90)))).isEqualTo("$1.00/90s");
  }

  @Test
  void aGuardrailResponseIsReadLeniently() {
    assertThat(parse("{\"action\": \"ALLOW\", \"reason\": \"fine\", \"staus_code\": 500}"))
        .isInstanceOfSatisfying(HookAnswer.Answered.class,
            a -> assertThat(a.response().action()).isEqualTo(GuardrailResponse.Action.ALLOW));
    assertThat(parse("{\"action\": \"block\", \"status_code\": 429, \"message\": 7}"))
        .isInstanceOfSatisfying(HookAnswer.Answered.class, a -> {
          assertThat(a.response().statusCode()).isEqualTo(429);
          assertThat(a.response().message()).isEmpty();
        });
    assertThat(parse("{\"action\": \"modify\", \"request_body\": {\"model\": \"m\", \"n\": 12345678901234567890}}"))
        .isInstanceOfSatisfying(HookAnswer.Answered.class, a ->
            assertThat(a.response().requestBody()).isEqualTo(Map.of("model", "m",
                "n", new java.math.BigDecimal("12345678901234567890"))));
    assertThat(parse("{\"action\": null}")).isInstanceOfSatisfying(HookAnswer.Failed.class,
        f -> assertThat(f.kind()).isEqualTo(HookFailure.Kind.WRONG_SHAPE));
  }

  private static HookAnswer parse(String json) {
    return WebhookClient.parse(json.getBytes(StandardCharsets.UTF_8), Redactor.none());
  }

  private static QuotaBucket bucket(long rate, Duration period) {
    return new QuotaBucket("b", "b", rate, rate, period);
  }
}
