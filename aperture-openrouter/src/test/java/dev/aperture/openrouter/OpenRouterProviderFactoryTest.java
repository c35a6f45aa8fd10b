package dev.aperture.openrouter;

import static dev.aperture.openrouter.Fixtures.API_KEY;
import static dev.aperture.openrouter.Fixtures.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Provider;
import dev.aperture.ProviderFactory;
import dev.aperture.ResponsesRequest;
import dev.aperture.UnsupportedApiFormatException;
import dev.aperture.config.Authorization;
import dev.aperture.config.ConfigProblem;
import dev.aperture.config.ConfigurationException;
import dev.aperture.config.ProviderConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class OpenRouterProviderFactoryTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient();
  private final OpenRouterProviderFactory factory =
      new OpenRouterProviderFactory(client);

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

  private ProviderConfig config(Set<ApiFormat> compatibility, Authorization authorization,
      List<ProviderConfig.Header> headers) {
    return new ProviderConfig("openrouter", null, server.url("/api/").toString(),
        List.of("qwen/qwen3-235b-a22b-2507"), ApiKey.of(API_KEY), authorization, compatibility, headers,
        0, false, null, null, null, "providers.openrouter");
  }

  @Test
  void matchesOpenRouterHostsOnly() {
    assertThat(factory.type()).isEqualTo("openrouter");
    assertThat(factory.matchesHost("openrouter.ai")).isTrue();
    assertThat(factory.matchesHost("eu.openrouter.ai")).isTrue();
    assertThat(factory.matchesHost("openrouter.ai.evil.example")).isFalse();
    assertThat(factory.matchesHost("api.openai.com")).isFalse();
  }

  @Test
  void buildsAProviderThatHonoursBaseUrlKeyAuthorizationAndAddHeaders() throws Exception {
    server.enqueue(new MockResponse.Builder().body(fixture("chat-completion.json")).build());
    Provider provider = factory.create(config(Set.of(ApiFormat.OPENAI_CHAT), Authorization.X_API_KEY,
        List.of(new ProviderConfig.Header("X-Title", "Seed App"),
            new ProviderConfig.Header("HTTP-Referer", "https://seed.example"))));

    ChatResponse response = provider.chat(ChatRequest.of("openrouter/qwen/qwen3-235b-a22b-2507", "Hi"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/chat/completions");
    assertThat(request.getHeaders().get("x-api-key")).isEqualTo(API_KEY);
    assertThat(request.getHeaders().get("X-Title")).isEqualTo("Seed App");
    assertThat(request.getHeaders().get("HTTP-Referer")).isEqualTo("https://seed.example");
    assertThat(request.getBody().utf8()).contains("\"model\":\"qwen/qwen3-235b-a22b-2507\"");
    assertThat(provider.id()).isEqualTo("openrouter");
    assertThat(provider.apiFormats()).containsExactly(ApiFormat.OPENAI_CHAT);
    assertThat(response.provider()).isEqualTo("openrouter");
  }

  @Test
  void seedStyleEntryWorks() throws Exception {
    server.enqueue(new MockResponse.Builder().body(fixture("chat-completion.json")).build());
    Provider provider = factory.create(ProviderConfig.of("openrouter", server.url("/api/").toString(),
        ApiKey.of(API_KEY), List.of("qwen/qwen3-235b-a22b-2507")));

    provider.chat(ChatRequest.of("qwen/qwen3-235b-a22b-2507", "Hi"));

    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
  }

  @Test
  void enablingTheResponsesApiIsAConfigurationErrorAtItsPath() {
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> factory.create(
        config(Set.of(ApiFormat.OPENAI_CHAT, ApiFormat.OPENAI_RESPONSES), Authorization.BEARER, List.of())));

    assertThat(e.problems()).extracting(ConfigProblem::path)
        .containsExactly("providers.openrouter.compatibility.openai_responses");
    assertThat(e.getMessage()).contains("only chat completions");
  }

  @Test
  void everyOtherFormatIsRejectedToo() {
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> factory.create(
        config(Set.of(ApiFormat.ANTHROPIC_MESSAGES, ApiFormat.BEDROCK_CONVERSE), Authorization.BEARER,
            List.of())));

    assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
        "providers.openrouter.compatibility.anthropic_messages",
        "providers.openrouter.compatibility.bedrock_converse",
        "providers.openrouter.compatibility.openai_chat");
  }

  @Test
  void badBaseUrlIsAConfigurationErrorAtItsPath() {
    ProviderConfig config = new ProviderConfig("openrouter", null, "openrouter.ai/api", List.of(),
        ApiKey.none(), Authorization.BEARER, Set.of(ApiFormat.OPENAI_CHAT), List.of(), 0, false, null,
        null, null, "providers.openrouter");

    assertThatThrownBy(() -> factory.create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("providers.openrouter.baseurl");
  }

  @Test
  void badBaseUrlErrorNeverShowsCredentialsInIt() {
    ProviderConfig config = new ProviderConfig("openrouter", null,
        "https://user:hunter2secret@openrouter.ai:99999/api/", List.of(), ApiKey.none(),
        Authorization.BEARER, Set.of(ApiFormat.OPENAI_CHAT), List.of(), 0, false, null, null, null,
        "providers.openrouter");

    assertThatThrownBy(() -> factory.create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("https://<redacted>@openrouter.ai")
        .message().doesNotContain("hunter2secret");
  }

  @Test
  void responsesCallOnAConfiguredProviderSendsNothing() {
    Provider provider = factory.create(config(Set.of(ApiFormat.OPENAI_CHAT), Authorization.BEARER,
        List.of()));

    assertThatThrownBy(() -> provider.responses(ResponsesRequest.of("qwen/qwen3-235b-a22b-2507", "Hi")))
        .isInstanceOf(UnsupportedApiFormatException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void isRegisteredForServiceLoader() {
    assertThat(ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::type))
        .contains(OpenRouterProviderFactory.class);
  }
}
