package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public values: builders, copies, equality, and toString that never shows text. */
final class ValuesTest {
  private static final String SECRET_TEXT = "my social security number is 078-05-1120";

  private static ChatResponse response() {
    return ChatResponse.builder()
        .id("gen-1")
        .model("qwen/qwen3")
        .provider("openrouter")
        .servedBy("Alibaba")
        .created(1L)
        .addChoice(Choice.of(0, Message.assistant(SECRET_TEXT), FinishReason.STOP))
        .usage(Usage.builder().promptTokens(3).completionTokens(4).cost(new BigDecimal("0.0001")).build())
        .generationId("gen-1")
        .extra(Map.of("system_fingerprint", "fp"))
        .build();
  }

  @Test
  void newBuilderCopiesEveryField() {
    ChatResponse original = response();

    assertThat(original.newBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
    assertThat(original.newBuilder().model("other").build()).isNotEqualTo(original);
    assertThat(original.choices().get(0).newBuilder().build()).isEqualTo(original.choices().get(0));
    assertThat(original.usage().newBuilder().build()).isEqualTo(original.usage());
    Message message = original.choices().get(0).message();
    assertThat(message.newBuilder().build()).isEqualTo(message);
  }

  @Test
  void withProviderSharesEverythingElse() {
    ChatResponse original = response();
    ChatResponse moved = original.withProvider("backup");

    assertThat(moved.provider()).isEqualTo("backup");
    assertThat(moved.newBuilder().provider("openrouter").build()).isEqualTo(original);
    assertThat(original.withProvider("openrouter")).isSameAs(original);
  }

  @Test
  void toStringNeverShowsMessageText() {
    ChatChunk chunk = ChatChunk.builder().id("gen-1").model("m")
        .addChoice(ChatChunk.Choice.of(0, ChatChunk.Delta.ofContent(SECRET_TEXT), null)).build();
    ToolCall call = ToolCall.function("call_1", "lookup", "{\"q\":\"" + SECRET_TEXT + "\"}");

    for (Object value : List.of(response(), response().choices().get(0), Message.user(SECRET_TEXT),
        chunk, chunk.choices().get(0).delta(), call, Message.assistant(null, List.of(call)))) {
      assertThat(value.toString()).doesNotContain("078-05").doesNotContain("security");
    }
  }

  @Test
  void usageTotalDefaultsToTheSumButKeepsAReportedTotal() {
    assertThat(Usage.of(3, 4).totalTokens()).isEqualTo(7);
    assertThat(Usage.builder().promptTokens(3).completionTokens(4).totalTokens(9).build().totalTokens())
        .isEqualTo(9);
  }

  @Test
  void requiredFieldsAreNamedWhenMissing() {
    assertThatThrownBy(() -> ChatResponse.builder().id("x").provider("p").build())
        .isInstanceOf(NullPointerException.class).hasMessage("model == null");
    assertThatThrownBy(() -> ToolCall.builder().id("x").build())
        .isInstanceOf(NullPointerException.class).hasMessage("name == null");
    assertThatThrownBy(() -> Message.builder(Role.USER).content("a").addPart(ContentPart.text("b")).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extraValuesAreCopiedAndMustBeJson() {
    assertThatThrownBy(() -> Usage.builder().extra(Map.of("when", new Object())).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage.when");
  }

  @Test
  void providerExceptionBuildersKeepEveryPropertyAndTheirType() {
    RateLimitedException limited = RateLimitedException.builder("openrouter")
        .statusCode(429)
        .message("slow down")
        .retryable(true)
        .retryAfter(Duration.ofSeconds(3))
        .errorCode("429")
        .bodyExcerpt("x".repeat(ProviderException.MAX_EXCERPT + 10))
        .build();

    assertThat(limited.providerId()).isEqualTo("openrouter");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.getMessage()).isEqualTo("slow down");
    assertThat(limited.isRetryable()).isTrue();
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(limited.errorCode()).isEqualTo("429");
    assertThat(limited.bodyExcerpt()).hasSize(ProviderException.MAX_EXCERPT + 1);

    ModerationException refused = ModerationException.builder("openrouter").statusCode(403)
        .message("flagged").reasons(List.of("harassment")).build();
    assertThat(refused.reasons()).containsExactly("harassment");
    assertThat(refused.isRetryable()).isFalse();

    ProviderException plain = ProviderException.builder("p").message("m").build();
    assertThat(plain.statusCode()).isZero();
    assertThat(plain.bodyExcerpt()).isEmpty();
    assertThatThrownBy(() -> ProviderException.builder("p").build())
        .isInstanceOf(NullPointerException.class).hasMessage("message == null");
  }
}
