package dev.aperture.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Choice;
import dev.aperture.ContentPart;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Role;
import dev.aperture.ToolCall;
import dev.aperture.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class OpenAiChatJsonTest {

  @Test
  void readsPlainCompletionWithUsageCostAndNulls() throws IOException {
    ChatResponse response = OpenAiChatJson.readResponse(fixture("chat-completion.json"), "openrouter",
        "gen-header");

    assertThat(response.id()).isEqualTo("gen-1764000000-Ab12Cd34Ef56Gh78");
    assertThat(response.model()).isEqualTo("qwen/qwen3-235b-a22b-2507");
    assertThat(response.provider()).isEqualTo("openrouter");
    assertThat(response.servedBy()).isEqualTo("Alibaba");
    assertThat(response.created()).isEqualTo(1764000000L);
    assertThat(response.generationId()).isEqualTo("gen-header");
    assertThat(response.extra()).containsEntry("object", "chat.completion");
    assertThat(response.text()).isEqualTo("Hello! How can I help you today?");
    Choice choice = response.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(choice.nativeFinishReason()).isEqualTo("stop");
    assertThat(choice.extra()).containsKey("logprobs");
    assertThat(choice.extra().get("logprobs")).isNull();
    assertThat(choice.message().role()).isEqualTo(Role.ASSISTANT);
    assertThat(choice.message().reasoning()).isNull();
    assertThat(choice.message().extra()).containsKey("refusal");

    Usage usage = response.usage();
    assertThat(usage).isNotNull();
    assertThat(usage.promptTokens()).isEqualTo(9);
    assertThat(usage.completionTokens()).isEqualTo(10);
    assertThat(usage.totalTokens()).isEqualTo(19);
    assertThat(usage.cost()).isEqualTo(new BigDecimal("0.0000041"));
    assertThat(usage.cachedTokens()).isZero();
    assertThat(usage.reasoningTokens()).isZero();
    assertThat(usage.extra()).containsEntry("is_byok", false)
        .containsEntry("prompt_tokens_details", Map.of("cached_tokens", 0L, "audio_tokens", 0L))
        .containsEntry("completion_tokens_details", Map.of("reasoning_tokens", 0L, "image_tokens", 0L));
    Map<String, @Nullable Object> costDetails = new LinkedHashMap<>();
    costDetails.put("upstream_inference_cost", null);
    assertThat(usage.extra()).containsEntry("cost_details", costDetails);
  }

  @Test
  void readsToolCallsAndReasoningTokens() throws IOException {
    ChatResponse response = OpenAiChatJson.readResponse(fixture("chat-completion-tool-calls.json"),
        "openrouter", null);

    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.toolCalls()).containsExactly(
        ToolCall.function("call_8f2a1c", "get_weather", "{\"city\":\"Zürich\",\"unit\":\"celsius\"}"));
    assertThat(response.usage().reasoningTokens()).isEqualTo(16);
    assertThat(response.usage().cost()).isEqualTo(new BigDecimal("0.0000582"));
    assertThat(response.servedBy()).isEqualTo("xAI");
  }

  @Test
  void keepsErrorObjectOfA200BodyInExtra() throws IOException {
    ChatResponse response = OpenAiChatJson.readResponse(fixture("error-in-200-body.json"), "or", null);

    assertThat(response.extra().get("error")).isInstanceOf(Map.class);
    Map<?, ?> error = (Map<?, ?>) response.extra().get("error");
    assertThat(error.get("code")).isEqualTo(429L);
    assertThat(response.finishReason()).isEqualTo(FinishReason.ERROR);
  }

  @Test
  void readsABodyThatIsOnlyAnError() throws IOException {
    ChatResponse response = OpenAiChatJson.readResponse(
        buffer("{\"error\":{\"message\":\"No auth\",\"code\":401}}"), "or", null);

    assertThat(response.id()).isEmpty();
    assertThat(response.choices()).isEmpty();
    assertThat(response.extra()).containsKey("error");
  }

  @Test
  void acceptsNullsWhereOpenRouterSendsThem() throws IOException {
    ChatResponse response = OpenAiChatJson.readResponse(buffer("""
        {"id":"x","model":"m","created":null,"provider":null,"system_fingerprint":null,
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":null,
           "reasoning":null},"finish_reason":null,"native_finish_reason":null}],
         "usage":{"prompt_tokens":1,"completion_tokens":null,"total_tokens":1,"cost":null,
           "prompt_tokens_details":null}}
        """), "or", null);

    assertThat(response.created()).isZero();
    assertThat(response.servedBy()).isNull();
    assertThat(response.text()).isEmpty();
    assertThat(response.finishReason()).isNull();
    assertThat(response.usage().cost()).isNull();
    assertThat(response.usage().cachedTokens()).isZero();
    assertThat(response.extra()).containsKey("system_fingerprint");
  }

  @Test
  void responseSurvivesWriteAndReadUnchanged() throws IOException {
    for (String name : List.of("chat-completion.json", "chat-completion-tool-calls.json",
        "error-in-200-body.json")) {
      ChatResponse original = OpenAiChatJson.readResponse(fixture(name), "openrouter", "gen-1");
      Buffer written = new Buffer();
      OpenAiChatJson.writeResponse(original, written);
      ChatResponse reread = OpenAiChatJson.readResponse(written, "openrouter", "gen-1");
      assertThat(reread).as(name).usingRecursiveComparison().isEqualTo(original);
      assertThat(reread).as(name).isEqualTo(original);
    }
  }

  @Test
  void writesUsageCountsSetInCodeWithoutDetailObjects() throws IOException {
    ChatResponse response = ChatResponse.builder().id("id").model("m").provider("or").created(1)
        .usage(Usage.builder().promptTokens(1).completionTokens(2).totalTokens(3)
            .cost(new BigDecimal("0.5")).cachedTokens(4).reasoningTokens(5).build())
        .build();
    Buffer written = new Buffer();
    OpenAiChatJson.writeResponse(response, written);
    ChatResponse reread = OpenAiChatJson.readResponse(written, "or", null);

    assertThat(reread.usage().cachedTokens()).isEqualTo(4);
    assertThat(reread.usage().reasoningTokens()).isEqualTo(5);
    assertThat(reread.usage().cost()).isEqualTo(new BigDecimal("0.5"));
  }

  @Test
  void requestSurvivesWriteAndReadWithEveryFieldKept() throws IOException {
    Map<String, @Nullable Object> provider = new LinkedHashMap<>();
    provider.put("order", List.of("Alibaba", "Together"));
    provider.put("allow_fallbacks", false);
    provider.put("max_price", Map.of("prompt", new BigDecimal("0.000000078")));
    provider.put("sort", null);
    Map<String, @Nullable Object> messageExtra = new LinkedHashMap<>();
    messageExtra.put("cache_control", Map.of("type", "ephemeral"));
    ChatRequest request = ChatRequest.builder()
        .model("qwen/qwen3-235b-a22b-2507")
        .system("Be brief.")
        .addMessage(Message.builder(Role.USER)
            .parts(List.of(ContentPart.text("What is this?"), ContentPart.imageUrl("https://x/y.png")))
            .name("alice")
            .extra(messageExtra)
            .build())
        .addMessage(Message.assistant(null, List.of(ToolCall.function("call_1", "f", "{\"a\":1}"))))
        .addMessage(Message.tool("call_1", "42"))
        .addMessage(Message.builder(new Role("developer")).content("dev note").reasoning("thought")
            .build())
        .temperature(0.7)
        .topP(0.9)
        .maxTokens(256)
        .stop(List.of("END", "STOP"))
        .seed(12345678901L)
        .addFunctionTool("get_weather", "Weather", Map.of("type", "object"))
        .toolChoice("auto")
        .responseFormat(Map.of("type", "json_object"))
        .put("models", List.of("a/b", "c/d"))
        .put("provider", provider)
        .put("plugins", List.of(Map.of("id", "web")))
        .put("reasoning", Map.of("effort", "high"))
        .put("stream_options", Map.of("include_usage", true))
        .put("huge_int", new BigDecimal("123456789012345678901234567890"))
        .put("exact", new BigDecimal("0.1000000000000000000000001"))
        .put("long", Long.MAX_VALUE)
        .put("nothing", null)
        .build();

    Buffer written = new Buffer();
    OpenAiChatJson.writeRequest(request, true, written);
    String json = written.clone().readUtf8();
    ParsedRequest parsed = OpenAiChatJson.readRequest(written);

    assertThat(json).contains("\"stream\":true").contains("\"nothing\":null");
    assertThat(parsed.stream()).isTrue();
    assertThat(parsed.request()).isEqualTo(request);
    assertThat(parsed.request().parameter("huge_int"))
        .isEqualTo(new BigDecimal("123456789012345678901234567890"));
    assertThat(parsed.request().parameter("long")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void nonStreamingRequestHasNoStreamField() throws IOException {
    Buffer written = new Buffer();
    OpenAiChatJson.writeRequest(ChatRequest.of("m", "hi"), false, written);

    assertThat(written.readUtf8())
        .isEqualTo("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void readsClientBodyKeepingUnknownFieldsLosslessly() throws IOException {
    ParsedRequest parsed = OpenAiChatJson.readRequest(buffer("""
        {"model":"openrouter/qwen/qwen3","messages":[{"role":"user","content":"hi","x_meta":{"a":[1,2.5]}}],
         "stream":false,"stop":"END","max_completion_tokens":100,
         "provider":{"order":["A"],"max_price":{"prompt":1e-7}},
         "big":123456789012345678901234567890,"negative":-5,"exp":1E400,"flag":true,"none":null}
        """));

    ChatRequest request = parsed.request();
    assertThat(parsed.stream()).isFalse();
    assertThat(request.model()).isEqualTo("openrouter/qwen/qwen3");
    assertThat(request.stop()).containsExactly("END");
    assertThat(request.messages().get(0).extra())
        .containsEntry("x_meta", Map.of("a", List.of(1L, new BigDecimal("2.5"))));
    assertThat(request.parameter("max_completion_tokens")).isEqualTo(100L);
    assertThat(request.parameter("provider")).isEqualTo(
        Map.of("order", List.of("A"), "max_price", Map.of("prompt", new BigDecimal("1e-7"))));
    assertThat(request.parameter("big")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
    assertThat(request.parameter("negative")).isEqualTo(-5L);
    assertThat(request.parameter("exp")).isEqualTo(new BigDecimal("1E400"));
    assertThat(request.parameter("flag")).isEqualTo(true);
    assertThat(request.parameters()).containsKey("none");

    Buffer rewritten = new Buffer();
    OpenAiChatJson.writeRequest(request, parsed.stream(), rewritten);
    assertThat(OpenAiChatJson.readRequest(rewritten).request()).isEqualTo(request);
  }

  @Test
  void readsEveryStreamFixtureChunk() throws IOException {
    List<ChatChunk> basic = chunks("stream-basic.sse");
    assertThat(basic).hasSize(5);
    assertThat(basic.get(0).choices().get(0).delta().role()).isEqualTo(Role.ASSISTANT);
    assertThat(basic.get(2).text()).isEqualTo("Grüß Gott 👋".substring(2));
    assertThat(basic.get(3).choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(basic.get(3).choices().get(0).nativeFinishReason()).isEqualTo("STOP");
    assertThat(basic.get(4).choices()).isEmpty();
    assertThat(basic.get(4).usage().cost()).isEqualTo(new BigDecimal("0.0000689"));
    assertThat(basic.get(4).servedBy()).isEqualTo("Google");

    List<ChatChunk> tools = chunks("stream-tool-calls.sse");
    ChatChunk.ToolCallDelta first = tools.get(0).choices().get(0).delta().toolCalls().get(0);
    assertThat(first).isEqualTo(ChatChunk.ToolCallDelta.builder().index(0).id("call_77ab")
        .type("function").name("get_weather").arguments("").build());
    assertThat(tools.get(1).choices().get(0).delta().toolCalls().get(0))
        .isEqualTo(ChatChunk.ToolCallDelta.builder().index(0).arguments("{\"city\":").build());
    assertThat(tools.get(0).choices().get(0).delta().content()).isNull();

    List<ChatChunk> error = chunks("stream-mid-error.sse");
    assertThat(error.get(1).extra().get("error"))
        .isEqualTo(Map.of("code", "server_error", "message", "Provider disconnected unexpectedly"));
    assertThat(error.get(1).choices().get(0).finishReason()).isEqualTo(FinishReason.ERROR);
  }

  @Test
  void chunkSurvivesWriteAndRead() throws IOException {
    for (String name : List.of("stream-basic.sse", "stream-tool-calls.sse", "stream-mid-error.sse")) {
      for (ChatChunk chunk : chunks(name)) {
        Buffer written = new Buffer();
        OpenAiChatJson.writeChunk(chunk, written);
        assertThat(OpenAiChatJson.readChunk(written)).as(name).isEqualTo(chunk);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      response | {"id":5}                                                     | $.id
      response | {"choices":{}}                                               | $.choices
      response | {"choices":[{"message":{"content":5}}]}                      | $.choices[0].message.content
      response | {"choices":[{"message":{"tool_calls":[{"function":{"name":3}}]}}]} | $.choices[0].message.tool_calls[0].function.name
      response | {"usage":{"prompt_tokens":"many"}}                           | $.usage.prompt_tokens
      response | {"usage":{"cost":"free"}}                                    | $.usage.cost
      response | {"usage":{"prompt_tokens":1e40}}                             | $.usage.prompt_tokens
      response | {"choices":[{"index":0,"message":{"role":"assistant"}}       | $.choices[1]
      response | {"id":"x"} {"id":"y"}                                        | $
      response | []                                                           | $
      response | not json                                                     | $
      response | ''                                                           | $
      chunk    | {"choices":[{"delta":{"tool_calls":[{"index":"zero"}]}}]}    | $.choices[0].delta.tool_calls[0].index
      chunk    | {"choices":[{"delta":"text"}]}                               | $.choices[0].delta
      chunk    | {"id":"x",                                                   | $.id
      request  | {"messages":[]}                                              | $.model
      request  | {"model":"m","messages":[{"content":"x"}]}                   | $.messages[0].role
      request  | {"model":"m","max_tokens":-1}                                | $.max_tokens
      request  | {"model":"m","temperature":"hot"}                            | $.temperature
      request  | {"model":"m","messages":[{"role":"user","content":[{"text":"x"}]}]} | $.messages[0].content[0].type
      request  | {"model":"m","stop":[1]}                                     | $.stop[0]
      request  | {"model":"m","messages":{}}                                  | $.messages
      """)
  void malformedInputIsAWireFormatExceptionWithItsPath(String kind, String json, String path) {
    assertThatThrownBy(() -> {
      switch (kind) {
        case "response" -> OpenAiChatJson.readResponse(buffer(json), "or", null);
        case "chunk" -> OpenAiChatJson.readChunk(json);
        default -> OpenAiChatJson.readRequest(buffer(json));
      }
    })
        .isInstanceOf(WireFormatException.class)
        .satisfies(e -> assertThat(((WireFormatException) e).path()).isEqualTo(path))
        .hasMessageEndingWith(" at " + path);
  }

  @Test
  void brokenJsonSaysSoWithoutMoshisAdviceToTheLibraryUser() {
    assertThatThrownBy(() -> OpenAiChatJson.readRequest(buffer("{bad json")))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("malformed JSON: not valid JSON")
        .message().doesNotContain("setLenient");
  }

  @Test
  @SuppressWarnings("unchecked")
  void fieldsReadFromTheWireAreImmutableAllTheWayDown() throws Exception {
    ChatRequest request = OpenAiChatJson.readRequest(buffer(
        "{\"model\":\"m\",\"provider\":{\"order\":[\"A\"]},\"messages\":[]}")).request();
    java.util.Map<String, Object> provider = (java.util.Map<String, Object>) request.parameter("provider");

    assertThatThrownBy(() -> provider.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<Object>) provider.get("order")).add("B"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(request.newBuilder().build().parameters()).isEqualTo(request.parameters());
  }

  @Test
  void providerSpecificToolCallFieldsSurviveARoundTrip() throws Exception {
    String json = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\","
        + "\"arguments\":\"{}\",\"strict_hint\":true},\"extra_content\":{\"google\":"
        + "{\"thought_signature\":\"sig==\"}}}]}]}";

    ChatRequest request = OpenAiChatJson.readRequest(buffer(json)).request();
    ToolCall call = request.messages().get(0).toolCalls().get(0);
    Buffer out = new Buffer();
    OpenAiChatJson.writeRequest(request, false, out);
    String written = out.readUtf8();

    assertThat(call.extra()).containsKey("extra_content");
    assertThat(written).contains("\"extra_content\":{\"google\":{\"thought_signature\":\"sig==\"}}")
        .contains("\"arguments\":\"{}\",\"strict_hint\":true}");
    assertThat(OpenAiChatJson.readRequest(buffer(written)).request()).isEqualTo(request);
  }

  @Test
  void streamedToolCallPiecesKeepTheirUnknownFieldsThroughAReEmission() throws Exception {
    String json = "{\"id\":\"g\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
        + "[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\","
        + "\"arguments\":\"\",\"x_fn\":1},\"extra_content\":{\"sig\":\"s==\"}}]},\"finish_reason\":null}]}";

    ChatChunk chunk = OpenAiChatJson.readChunk(json);
    Buffer out = new Buffer();
    OpenAiChatJson.writeChunk(chunk, out);

    assertThat(chunk.choices().get(0).delta().toolCalls().get(0).extra()).containsKeys("extra_content", "function");
    assertThat(OpenAiChatJson.readChunk(out.readUtf8())).isEqualTo(chunk);
  }

  @Test
  void anyJsonRoundTripsLosslessly() throws Exception {
    String json = "{\"model\":\"m\",\"input\":[{\"a\":null,\"n\":12345678901234567890123,"
        + "\"d\":0.1000,\"i\":7,\"b\":true}],\"empty\":{}}";

    Object value = OpenAiChatJson.readValue(buffer(json));
    Buffer out = new Buffer();
    OpenAiChatJson.writeValue(value, out);

    assertThat(out.readUtf8()).isEqualTo(json);
    assertThatThrownBy(() -> OpenAiChatJson.readValue(buffer("{\"a\":1} trailing")))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void deeplyNestedInputIsAWireFormatException() {
    String json = "{\"model\":\"m\",\"x\":" + "[".repeat(300) + "]".repeat(300) + "}";
    assertThatThrownBy(() -> OpenAiChatJson.readRequest(buffer(json)))
        .isInstanceOf(WireFormatException.class);
  }

  static Buffer buffer(String json) {
    return new Buffer().writeUtf8(json);
  }

  static Buffer fixture(String name) {
    try (InputStream in = OpenAiChatJsonTest.class.getResourceAsStream("/openrouter/" + name)) {
      if (in == null) throw new IllegalArgumentException("no fixture " + name);
      return new Buffer().write(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON data lines of an SSE fixture, one chunk each (the SSE reader lives in the provider). */
  static List<ChatChunk> chunks(String name) {
    List<ChatChunk> result = new ArrayList<>();
    for (String line : fixture(name).readString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data: {")) result.add(OpenAiChatJson.readChunk(line.substring(6)));
    }
    return result;
  }
}
