package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.ApiFormat;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.ResponsesRequest;
import dev.aperture.ToolCall;
import dev.aperture.UnsupportedApiFormatException;
import dev.aperture.config.Authorization;
import dev.aperture.internal.wire.OpenAiChatJson;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class OpenRouterProviderTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient.Builder()
      .connectTimeout(Duration.ofSeconds(5))
      .readTimeout(Duration.ofSeconds(5))
      .build();

  @BeforeEach
  void setUp() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void tearDown() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private OpenRouterProvider.Builder provider() {
    return OpenRouterProvider.builder()
        .apiKey(API_KEY)
        .baseUrl(server.url("/api/").toString())
        .client(client);
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
  }

  @Test
  void postsToV1ChatCompletionsWithKeyAndAttributionHeaders() throws Exception {
    server.enqueue(json(fixture("chat-completion.json")));
    OpenRouterProvider provider = provider()
        .referer("https://example.com/app")
        .title("Example App")
        .addHeader("X-Team", "blue")
        .build();

    provider.chat(ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hello"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/chat/completions");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.getHeaders().get("HTTP-Referer")).isEqualTo("https://example.com/app");
    assertThat(request.getHeaders().get("X-OpenRouter-Title")).isEqualTo("Example App");
    assertThat(request.getHeaders().get("X-Team")).isEqualTo("blue");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(request.getBody().utf8()).isEqualTo(
        "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "/api/, /api/v1/chat/completions",
      "/api, /api/v1/chat/completions",
      "/api/v1, /api/v1/chat/completions",
      "/api/v1/, /api/v1/chat/completions",
      "/, /v1/chat/completions",
      "/v1, /v1/chat/completions",
      "/proxy/openrouter/api/, /proxy/openrouter/api/v1/chat/completions",
  })
  void baseUrlNeverGivesDoubleV1(String basePath, String expectedPath) throws Exception {
    server.enqueue(json(fixture("chat-completion.json")));
    OpenRouterProvider provider = provider().baseUrl(server.url(basePath).toString()).build();

    provider.chat(ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hello"));

    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo(expectedPath);
  }

  @ParameterizedTest(name = "{0} as {1} -> {2}")
  @CsvSource({
      "openrouter, openrouter/qwen/qwen3-235b-a22b-2507, qwen/qwen3-235b-a22b-2507",
      "openrouter, qwen/qwen3-235b-a22b-2507, qwen/qwen3-235b-a22b-2507",
      "openrouter, openrouter/auto, openrouter/auto",
      "or-eu, or-eu/x-ai/grok-code-fast-1, x-ai/grok-code-fast-1",
      "or-eu, openrouter/x-ai/grok-code-fast-1, openrouter/x-ai/grok-code-fast-1",
  })
  void removesOnlyItsOwnIdPrefixFromTheModel(String id, String asked, String sent) throws Exception {
    server.enqueue(json(fixture("chat-completion.json")));
    OpenRouterProvider provider = provider().id(id).build();

    ChatResponse response = provider.chat(ChatRequest.of(asked, "Hello"));

    ChatRequest received = OpenAiChatJson.readRequest(new Buffer().write(server.takeRequest().getBody()))
        .request();
    assertThat(received.model()).isEqualTo(sent);
    assertThat(response.provider()).isEqualTo(id);
  }

  @Test
  void passesEveryFieldTheApplicationSetThroughUnchanged() throws Exception {
    server.enqueue(json(fixture("chat-completion-tool-calls.json")));
    ChatRequest request = ChatRequest.builder()
        .model("x-ai/grok-code-fast-1")
        .system("Use tools.")
        .user("Weather in Zürich?")
        .addMessage(Message.assistant(null, List.of(ToolCall.function("call_1", "get_weather",
            "{\"city\":\"Bern\"}"))))
        .addMessage(Message.tool("call_1", "{\"temp\":3}"))
        .temperature(0.2)
        .topP(0.95)
        .maxTokens(500)
        .stop(List.of("END"))
        .seed(7L)
        .addFunctionTool("get_weather", "Current weather", Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string"))))
        .toolChoice(Map.of("type", "function", "function", Map.of("name", "get_weather")))
        .responseFormat(Map.of("type", "json_schema", "json_schema", Map.of("name", "w", "strict", true)))
        .put("models", List.of("x-ai/grok-code-fast-1", "qwen/qwen3-235b-a22b-2507"))
        .put("provider", Map.of("order", List.of("xAI"), "allow_fallbacks", false,
            "require_parameters", true, "data_collection", "deny", "sort", "price",
            "max_price", Map.of("prompt", new BigDecimal("0.0000002"))))
        .put("plugins", List.of(Map.of("id", "web", "max_results", 3L)))
        .put("transforms", List.of("middle-out"))
        .put("reasoning", Map.of("effort", "low", "exclude", false))
        .put("usage", Map.of("include", true))
        .put("stream_options", Map.of("include_usage", true))
        .put("x_future_field", Map.of("nested", List.of(new BigDecimal("123456789012345678901234.5"))))
        .build();

    provider().build().chat(request);

    ChatRequest received = OpenAiChatJson.readRequest(new Buffer().write(server.takeRequest().getBody()))
        .request();
    assertThat(received).isEqualTo(request);
  }

  @Test
  void readsModelServedByUsageCostAndGenerationId() {
    server.enqueue(new MockResponse.Builder()
        .addHeader("Content-Type", "application/json")
        .addHeader("X-Generation-Id", "gen-1764000100-Zz98Yy76Xx54Ww32")
        .body(fixture("chat-completion-tool-calls.json"))
        .build());

    ChatResponse response = provider().build().chat(ChatRequest.of("x-ai/grok-code-fast-1", "Weather?"));

    assertThat(response.provider()).isEqualTo("openrouter");
    assertThat(response.servedBy()).isEqualTo("xAI");
    assertThat(response.model()).isEqualTo("x-ai/grok-code-fast-1");
    assertThat(response.generationId()).isEqualTo("gen-1764000100-Zz98Yy76Xx54Ww32");
    assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(response.toolCalls()).extracting(ToolCall::name).containsExactly("get_weather");
    assertThat(response.usage().cost()).isEqualTo(new BigDecimal("0.0000582"));
    assertThat(response.usage().reasoningTokens()).isEqualTo(16);
    assertThat(response.usage().totalTokens()).isEqualTo(136);
  }

  @Test
  void keepsFieldsWithoutATypeReachable() {
    server.enqueue(json(fixture("chat-completion.json")));

    ChatResponse response = provider().build().chat(ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hi"));

    assertThat(response.extra()).containsEntry("object", "chat.completion");
    assertThat(response.usage().extra()).containsEntry("is_byok", false).containsKey("cost_details");
    assertThat(response.usage().cachedTokens()).isZero();
    assertThat(response.choices().get(0).extra()).containsKey("logprobs");
    assertThat(response.choices().get(0).message().extra()).containsKey("refusal");
    // Without an X-Generation-Id header, the completion's id is the generation id.
    assertThat(response.generationId()).isEqualTo(response.id()).startsWith("gen-");
  }

  @Test
  void modelThatAnsweredMayDifferFromTheOneAskedFor() {
    server.enqueue(json(fixture("chat-completion.json")));

    ChatResponse response = provider().build().chat(ChatRequest.builder().model("openrouter/auto")
        .user("Hi").put("models", List.of("qwen/qwen3-235b-a22b-2507")).build());

    assertThat(response.model()).isEqualTo("qwen/qwen3-235b-a22b-2507");
  }

  @Test
  void supportsOnlyChatCompletions() {
    assertThat(provider().build().apiFormats()).containsExactly(ApiFormat.OPENAI_CHAT);
  }

  @Test
  void responsesCallFailsBeforeAnyRequest() {
    OpenRouterProvider provider = provider().build();

    assertThatThrownBy(() -> provider.responses(ResponsesRequest.of("qwen/qwen3-235b-a22b-2507", "Hi")))
        .isInstanceOf(UnsupportedApiFormatException.class)
        .hasMessageContaining("openai_responses")
        .hasMessageContaining("openai_chat");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void sendsTheKeyAsTheConfiguredAuthorizationHeader() throws Exception {
    server.enqueue(json(fixture("chat-completion.json")));

    provider().authorization(Authorization.X_API_KEY).build().chat(ChatRequest.of("m/x", "Hi"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getHeaders().get("x-api-key")).isEqualTo(API_KEY);
    assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void sendsNoAuthorizationWithoutAKey() throws Exception {
    server.enqueue(json(fixture("chat-completion.json")));

    OpenRouterProvider.builder().baseUrl(server.url("/api/").toString()).client(client).build()
        .chat(ChatRequest.of("m/x", "Hi"));

    assertThat(server.takeRequest().getHeaders().get("Authorization")).isNull();
  }

  @Test
  void newBuilderMakesAChangedCopy() throws Exception {
    OpenRouterProvider original = provider().title("One").build();
    OpenRouterProvider changed = original.newBuilder().id("or-two").title("Two").build();
    server.enqueue(json(fixture("chat-completion.json")));

    ChatResponse response = changed.chat(ChatRequest.of("m/x", "Hi"));

    assertThat(original.id()).isEqualTo("openrouter");
    assertThat(response.provider()).isEqualTo("or-two");
    assertThat(server.takeRequest().getHeaders().get("X-OpenRouter-Title")).isEqualTo("Two");
  }

  @Test
  void toStringNeverShowsTheKey() {
    assertThat(provider().build().toString()).doesNotContain(API_KEY);
  }

  @Test
  void rejectsABaseUrlThatIsNotHttp() {
    assertThatThrownBy(() -> OpenRouterProvider.builder().baseUrl("ftp://openrouter.ai/api/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baseUrl");
  }
}
