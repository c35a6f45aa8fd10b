package dev.aperture.opentelemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import org.junit.jupiter.api.Test;

final class MetricAttributesTest {
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

  final MetricAttributes.Cache cache = new MetricAttributes.Cache();

  @Test
  void eachCombinationIsBuiltOnceWithItsTokenTypeVariants() {
    MetricAttributes sets = cache.get("openrouter", "m", "m-0613", null);

    assertThat(cache.get("openrouter", "m", "m-0613", null)).isSameAs(sets);
    assertThat(sets.base).isEqualTo(Attributes.of(
        OPERATION, "chat", PROVIDER, "openrouter", REQUEST_MODEL, "m", RESPONSE_MODEL, "m-0613"));
    assertThat(sets.input).isEqualTo(sets.base.toBuilder().put(TOKEN_TYPE, "input").build());
    assertThat(sets.output).isEqualTo(sets.base.toBuilder().put(TOKEN_TYPE, "output").build());
    assertThat(cache.get(null, "m", null, "dev.aperture.ModelNotFoundException").base)
        .isEqualTo(Attributes.of(OPERATION, "chat", REQUEST_MODEL, "m", ERROR_TYPE, "dev.aperture.ModelNotFoundException"));
  }

  @Test
  void callerChosenModelNamesCannotGrowTheCachePastItsBound() {
    for (int i = 0; i < 1100; i++) {
      assertThat(cache.get("openrouter", "model-" + i, null, null).base.get(REQUEST_MODEL)).isEqualTo("model-" + i);
    }

    assertThat(cache.size()).isEqualTo(1024);
    assertThat(cache.get("openrouter", "model-1099", null, null))
        .isNotSameAs(cache.get("openrouter", "model-1099", null, null));
    assertThat(cache.get("openrouter", "model-0", null, null)).isSameAs(cache.get("openrouter", "model-0", null, null));
  }
}
