package dev.aperture.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class EmbeddedUpstreamTest {
  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient client = new OkHttpClient();
  private EmbeddedUpstream upstream;

  @BeforeEach
  void setUp() throws IOException {
    upstream = EmbeddedUpstream.start();
  }

  @AfterEach
  void tearDown() {
    upstream.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private Response post(String path, String body, String key) throws IOException {
    Request request = new Request.Builder()
        .url(upstream.baseUrl() + path)
        .header("Authorization", "Bearer " + key)
        .post(RequestBody.create(body, JSON))
        .build();
    return client.newCall(request).execute();
  }

  private static Map<?, ?> json(String text) throws IOException {
    return (Map<?, ?>) Json.read(new Buffer().writeUtf8(text));
  }

  @Test
  void bindsLoopbackOnARandomPortUnderApi() {
    assertThat(upstream.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/api/");
  }

  @Test
  void answersAChatCompletionFromTheLastUserMessageWithUsageAndCost() throws IOException {
    try (Response response = post("v1/chat/completions", """
        {"model":"qwen/qwen3-235b-a22b-2507","messages":[
          {"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"}]}""",
        EmbeddedUpstream.DEMO_KEY)) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("X-Generation-Id")).startsWith("gen-offline-");
      Map<?, ?> body = json(response.body().string());
      assertThat(body.get("object")).isEqualTo("chat.completion");
      assertThat(body.get("model")).isEqualTo("qwen/qwen3-235b-a22b-2507");
      Map<?, ?> choice = (Map<?, ?>) ((List<?>) body.get("choices")).get(0);
      assertThat(choice.get("finish_reason")).isEqualTo("stop");
      assertThat(((Map<?, ?>) choice.get("message")).get("content").toString()).contains("\"Hello there\"");
      Map<?, ?> usage = (Map<?, ?>) body.get("usage");
      assertThat((Long) usage.get("prompt_tokens")).isPositive();
      assertThat((Long) usage.get("completion_tokens")).isPositive();
      assertThat(usage.get("cost")).isInstanceOf(java.math.BigDecimal.class);
    }
    assertThat(upstream.chatRequestCount()).isEqualTo(1);
  }

  @Test
  void streamsInOpenRoutersShapeEndingWithUsageAndDone() throws IOException {
    List<String> events = new ArrayList<>();
    try (Response response = post("v1/chat/completions", """
        {"model":"x-ai/grok-code-fast-1","stream":true,"messages":[{"role":"user","content":"Stream me"}]}""",
        EmbeddedUpstream.DEMO_KEY)) {
      assertThat(response.header("Content-Type")).isEqualTo("text/event-stream");
      BufferedSource source = response.body().source();
      for (String line; (line = source.readUtf8Line()) != null; ) {
        if (!line.isEmpty()) events.add(line);
      }
    }
    assertThat(events.get(0)).isEqualTo(": OPENROUTER PROCESSING");
    assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
    StringBuilder text = new StringBuilder();
    List<Object> finishReasons = new ArrayList<>();
    Map<?, ?> last = null;
    for (String event : events.subList(1, events.size() - 1)) {
      assertThat(event).startsWith("data: ");
      last = json(event.substring(6));
      assertThat(last.get("object")).isEqualTo("chat.completion.chunk");
      for (Object choice : (List<?>) last.get("choices")) {
        Map<?, ?> delta = (Map<?, ?>) ((Map<?, ?>) choice).get("delta");
        if (delta.get("content") != null) text.append(delta.get("content"));
        if (((Map<?, ?>) choice).get("finish_reason") != null) finishReasons.add(((Map<?, ?>) choice).get("finish_reason"));
      }
    }
    Map<?, ?> first = json(events.get(1).substring(6));
    Map<?, ?> firstDelta = (Map<?, ?>) ((Map<?, ?>) ((List<?>) first.get("choices")).get(0)).get("delta");
    assertThat(firstDelta.get("role")).isEqualTo("assistant");
    assertThat(text.toString()).startsWith("You said: \"Stream me\".");
    assertThat(events.size()).isGreaterThan(6); // Several content chunks, not one.
    assertThat(finishReasons).containsExactly("stop");
    assertThat((List<?>) last.get("choices")).isEmpty();
    assertThat(last.get("usage")).isNotNull();
  }

  @Test
  void callsTheFirstToolWithArgumentsFromItsSchemaThenAnswersTheToolResult() throws IOException {
    String tools = """
        "tools":[{"type":"function","function":{"name":"get_weather","parameters":
          {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";
    Map<?, ?> call;
    try (Response response = post("v1/chat/completions", "{\"model\":\"x-ai/grok-code-fast-1\"," + tools
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}", EmbeddedUpstream.DEMO_KEY)) {
      Map<?, ?> choice = (Map<?, ?>) ((List<?>) json(response.body().string()).get("choices")).get(0);
      assertThat(choice.get("finish_reason")).isEqualTo("tool_calls");
      call = (Map<?, ?>) ((List<?>) ((Map<?, ?>) choice.get("message")).get("tool_calls")).get(0);
    }
    Map<?, ?> function = (Map<?, ?>) call.get("function");
    assertThat(function.get("name")).isEqualTo("get_weather");
    assertThat(function.get("arguments")).isEqualTo("{\"city\":\"Paris\"}");

    try (Response response = post("v1/chat/completions", "{\"model\":\"x-ai/grok-code-fast-1\"," + tools
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + Json.toJson(call) + "]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"" + call.get("id") + "\",\"content\":\"18 C\"}]}",
        EmbeddedUpstream.DEMO_KEY)) {
      Map<?, ?> choice = (Map<?, ?>) ((List<?>) json(response.body().string()).get("choices")).get(0);
      assertThat(choice.get("finish_reason")).isEqualTo("stop");
      assertThat(((Map<?, ?>) choice.get("message")).get("content").toString()).contains("18 C");
    }
  }

  @Test
  void rejectsAWrongKeyWith401InOpenRoutersErrorShape() throws IOException {
    try (Response response = post("v1/chat/completions",
        "{\"model\":\"qwen/qwen3-235b-a22b-2507\",\"messages\":[]}", "sk-wrong")) {
      assertThat(response.code()).isEqualTo(401);
      Map<?, ?> error = (Map<?, ?>) json(response.body().string()).get("error");
      assertThat(error.get("code")).isEqualTo(401L);
      assertThat(error.get("message")).isEqualTo("User not found.");
    }
  }

  @Test
  void rejectsAModelItDoesNotServeAndMalformedJson() throws IOException {
    try (Response response = post("v1/chat/completions",
        "{\"model\":\"nope/nope\",\"messages\":[]}", EmbeddedUpstream.DEMO_KEY)) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(response.body().string()).contains("nope/nope is not a valid model ID");
    }
    try (Response response = post("v1/chat/completions", "{\"model\":", EmbeddedUpstream.DEMO_KEY)) {
      assertThat(response.code()).isEqualTo(400);
      assertThat(response.body().string()).contains("invalid JSON body");
    }
  }

  @Test
  void listsItsModelsAndDescribesTheKey() throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(upstream.baseUrl() + "v1/models").build()).execute()) {
      List<?> data = (List<?>) json(response.body().string()).get("data");
      assertThat(data.stream().map(entry -> ((Map<?, ?>) entry).get("id")).toList())
          .isEqualTo(EmbeddedUpstream.DEFAULT_MODELS);
    }
    Request key = new Request.Builder().url(upstream.baseUrl() + "v1/key")
        .header("Authorization", "Bearer " + EmbeddedUpstream.DEMO_KEY).build();
    try (Response response = client.newCall(key).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(((Map<?, ?>) json(response.body().string()).get("data")).get("label")).isEqualTo("offline-demo");
    }
  }

  @Test
  void stopsListeningWhenClosed() throws IOException {
    String url = upstream.baseUrl();
    upstream.close();
    try (Response response = client.newCall(new Request.Builder().url(url + "v1/models").build()).execute()) {
      throw new AssertionError("expected a refused connection, got " + response.code());
    } catch (java.net.ConnectException expected) {
      assertThat(expected).hasMessageContaining("127.0.0.1");
    }
  }
}
