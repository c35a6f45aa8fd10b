package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRequestTest {
  @Test
  void keepsEveryExtraFieldInOrderAndUnchanged() {
    Map<String, Object> provider = new LinkedHashMap<>();
    provider.put("order", List.of("Alibaba", "Together"));
    provider.put("allow_fallbacks", false);
    provider.put("max_price", Map.of("prompt", new BigDecimal("0.000001")));

    ChatRequest request = ChatRequest.builder()
        .model("qwen/qwen3-235b-a22b-2507")
        .user("hi")
        .put("provider", provider)
        .put("models", List.of("a/b", "c/d"))
        .put("something_new", Map.of("nested", List.of(1L, 2.5, true)))
        .put("nullable", null)
        .build();

    assertThat(request.parameters()).containsOnlyKeys("provider", "models", "something_new", "nullable");
    assertThat(new ArrayList<>(request.parameters().keySet()))
        .containsExactly("provider", "models", "something_new", "nullable");
    assertThat(request.parameter("provider")).isEqualTo(provider);
    assertThat(request.parameters()).containsEntry("nullable", null);
  }

  @Test
  @SuppressWarnings("unchecked")
  void extraFieldsAreDeepCopiesThatCannotBeChangedAfterwards() {
    List<Object> models = new ArrayList<>(List.of("a/b"));
    ChatRequest request = ChatRequest.builder().model("m").put("models", models).build();

    models.add("c/d");

    assertThat(request.parameter("models")).isEqualTo(List.of("a/b"));
    assertThatThrownBy(() -> ((List<Object>) request.parameter("models")).add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void typedFieldsCannotBeSetAsExtras() {
    assertThatThrownBy(() -> ChatRequest.builder().put("temperature", 0.2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'temperature'");
    assertThatThrownBy(() -> ChatRequest.builder().put("stream", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Router.stream");
  }

  @Test
  void valuesThatAreNotJsonAreRejectedWithThePath() {
    assertThatThrownBy(() -> ChatRequest.builder().put("tools", List.of(Map.of("f", new Object()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tools[0].f")
        .hasMessageContaining("not a JSON value");
    assertThatThrownBy(() -> ChatRequest.builder().put("x", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON cannot carry");
  }

  @Test
  void addFunctionToolAppendsOpenAiShapedTools() {
    ChatRequest request = ChatRequest.builder().model("m")
        .addFunctionTool("get_weather", "Weather for a city", Map.of("type", "object"))
        .addFunctionTool("get_time", "Time in a zone", Map.of("type", "object"))
        .build();

    List<?> tools = (List<?>) request.parameter("tools");
    assertThat(tools).hasSize(2);
    assertThat(((Map<?, ?>) tools.get(0)).get("type")).isEqualTo("function");
    assertThat(((Map<?, ?>) ((Map<?, ?>) tools.get(1)).get("function")).get("name")).isEqualTo("get_time");
  }

  @Test
  void toStringNeverShowsMessageText() {
    ChatRequest request = ChatRequest.builder().model("m").user("my secret plan").build();

    assertThat(request.toString()).doesNotContain("secret").contains("model=m");
  }

  @Test
  void newBuilderMakesAChangedCopy() {
    ChatRequest original = ChatRequest.builder().model("a").user("hi").temperature(0.5).put("seedish", 1L).build();
    ChatRequest copy = original.withModel("b");

    assertThat(copy.model()).isEqualTo("b");
    assertThat(copy.temperature()).isEqualTo(0.5);
    assertThat(copy.parameters()).isEqualTo(original.parameters());
    assertThat(original.model()).isEqualTo("a");
    assertThat(original.withModel("a")).isSameAs(original);
  }

  @Test
  void apiKeyNeverShowsItsValue() {
    ApiKey key = ApiKey.of("sk-or-v1-abcdef123456");

    assertThat(key.toString()).doesNotContain("abcdef").isEqualTo("ApiKey[redacted]");
    assertThat(key.reveal()).isEqualTo("sk-or-v1-abcdef123456");
  }
}
