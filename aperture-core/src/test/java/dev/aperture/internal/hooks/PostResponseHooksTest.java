package dev.aperture.internal.hooks;

import static dev.aperture.internal.hooks.HookTesting.allow;
import static dev.aperture.internal.hooks.HookTesting.binding;
import static dev.aperture.internal.hooks.HookTesting.context;
import static dev.aperture.internal.hooks.HookTesting.map;
import static dev.aperture.internal.hooks.HookTesting.received;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.ChatResponse;
import dev.aperture.Choice;
import dev.aperture.FinishReason;
import dev.aperture.GuardrailResponse;
import dev.aperture.HookCallData;
import dev.aperture.HookHandler;
import dev.aperture.HookOptions;
import dev.aperture.Message;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.ToolCall;
import dev.aperture.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code entire_request} and {@code tool_call_entire_request} hooks against real HTTP hook servers. */
final class PostResponseHooksTest {
  /** OpenRouter's tool-call completion (the fixture {@code chat-completion-tool-calls.json}). */
  private static final ChatResponse TOOL_CALL_RESPONSE = ChatResponse.builder()
      .id("gen-1764000100-Zz98Yy76Xx54Ww32").model("x-ai/grok-code-fast-1").provider("openrouter")
      .servedBy("xAI").created(1764000100)
      .addChoice(Choice.builder().index(0)
          .message(Message.assistant("", List.of(ToolCall.function("call_8f2a1c", "get_weather",
              "{\"city\":\"Zürich\",\"unit\":\"celsius\"}"))))
          .finishReason(FinishReason.of("tool_calls")).nativeFinishReason("tool_calls").build())
      .usage(Usage.builder().promptTokens(112).completionTokens(24).totalTokens(136)
          .cost(new BigDecimal("0.0000582")).reasoningTokens(16).build())
      .build();
  private static final ChatResponse TEXT_RESPONSE = ChatResponse.builder()
      .id("gen-1764000000-Aa11").model("x-ai/grok-code-fast-1").provider("openrouter").servedBy("xAI")
      .created(1764000000)
      .addChoice(Choice.builder().index(0).message(Message.assistant("Here is a sort function."))
          .finishReason(FinishReason.of("stop")).nativeFinishReason("stop").build())
      .usage(Usage.builder().promptTokens(20).completionTokens(6).totalTokens(26)
          .cost(new BigDecimal("0.0000126")).build())
      .build();

  private final MockWebServer server = new MockWebServer();
  private final HookTesting.RecordingListener listener = new HookTesting.RecordingListener();
  private final List<HookRunner> runners = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    runners.forEach(runner -> runner.close(Duration.ofSeconds(5)));
    server.close();
  }

  private WebhookSpec hook(String name) {
    return WebhookSpec.of(name, server.url("/" + name).toString());
  }

  private HookRunner runner(HookRunner.Builder builder) {
    HookRunner runner = builder.build();
    runners.add(runner);
    return runner;
  }

  private HookRunner runner(WebhookSpec... specs) {
    return runner(HookRunner.builder().webhooks(List.of(specs)));
  }

  private static HookContext completed(ChatResponse response) {
    return context()
        .responseBody(HookBodies.responseBody(response))
        .toolCalls(HookBodies.toolUses(response))
        .estimatedCost(HookContext.Cost.of(58_200, "openrouter/x-ai/grok-code-fast-1", response.usage()))
        .build();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request).as("the hook was called").isNotNull();
    return request;
  }

  @Test
  void entireRequestSendsEveryAskedFieldAfterTheCall() throws Exception {
    server.enqueue(allow());
    HookRunner runner = runner(hook("audit"));
    HookContext context = completed(TOOL_CALL_RESPONSE).newBuilder()
        .customCapabilities(Map.of("mycompany.com/cap/policy", List.of(Map.of("tier", "enterprise"))))
        .quotas(List.of(new QuotaBalance(new QuotaBucket("team-monthly", "team-monthly", 500_000_000_000L,
            500_000_000_000L, Duration.ofDays(30)), 499_999_941_800L, 0)))
        .build();

    int queued = runner.postResponse(List.of(binding("audit", HookEvent.ENTIRE_REQUEST, "request_body",
        "user_message", "response_body", "raw_responses", "tools", "grants", "estimated_cost", "quotas")),
        context, listener);

    assertThat(queued).isEqualTo(1);
    Map<String, @Nullable Object> json = received(take());
    assertThat(json).containsOnlyKeys("metadata", "request_body", "user_message", "response_body",
        "raw_responses", "tool_calls");
    assertThat(json.get("request_body")).isEqualTo(HookTesting.requestBody());
    assertThat(json.get("user_message")).isEqualTo("My SSN is 123-45-6789, write a function that sorts a list");
    Map<String, @Nullable Object> responseBody = map(json.get("response_body"));
    assertThat(responseBody).isEqualTo(HookBodies.responseBody(TOOL_CALL_RESPONSE));
    assertThat(responseBody.get("id")).isEqualTo("gen-1764000100-Zz98Yy76Xx54Ww32");
    assertThat(json.get("raw_responses")).isEqualTo(List.of(responseBody)); // Not streamed: the one body.
    assertThat(json.get("tool_calls")).isEqualTo(List.of(Map.of("name", "get_weather",
        "params", Map.of("city", "Zürich", "unit", "celsius"))));
    Map<String, @Nullable Object> metadata = map(json.get("metadata"));
    assertThat(metadata).containsOnlyKeys("login_name", "user_agent", "url", "model", "provider", "tailnet_name",
        "stable_node_id", "request_id", "session_id", "grants", "estimated_cost", "quotas");
    assertThat(metadata.get("request_id")).isEqualTo("req_abc123");
    assertThat(metadata.get("grants")).isEqualTo(Map.of("mycompany.com/cap/policy", List.of(Map.of("tier", "enterprise"))));
    Map<String, @Nullable Object> cost = map(metadata.get("estimated_cost"));
    assertThat(cost.get("dollars")).hasToString("0.0000582");
    assertThat(cost.get("cost_basis")).isEqualTo("openrouter/x-ai/grok-code-fast-1");
    assertThat(cost.get("usage")).isEqualTo(Map.of("input_tokens", 112L, "output_tokens", 24L, "reasoning_tokens", 16L));
    assertThat(metadata.get("quotas")).isEqualTo(Map.of("team-monthly",
        Map.of("current", 499_999_941_800L, "capacity", 500_000_000_000L, "rate", "$500.00/month")));
  }

  @Test
  void aStreamedCallSendsItsParsedServerSentEventsAsRawResponses() throws Exception {
    server.enqueue(allow());
    List<@Nullable Object> events = new ArrayList<>();
    for (String data : List.of(
        "{\"id\":\"gen-1764000200-Qq11\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Grüß Gott 👋\"},\"finish_reason\":null}]}",
        "{\"id\":\"gen-1764000200-Qq11\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":6,\"total_tokens\":13,\"cost\":0.0000689}}")) {
      events.add(HookBodies.parseJson(data.getBytes(StandardCharsets.UTF_8)));
    }
    HookContext context = completed(TEXT_RESPONSE).newBuilder().rawResponses(events).build();

    runner(hook("audit")).postResponse(List.of(binding("audit", HookEvent.ENTIRE_REQUEST, "raw_responses")),
        context, listener);

    Map<String, @Nullable Object> json = received(take());
    assertThat(json).containsOnlyKeys("metadata", "raw_responses");
    assertThat(json.get("raw_responses")).isEqualTo(events);
    assertThat(map(((List<?>) json.get("raw_responses")).get(1)).get("usage"))
        .isEqualTo(Map.of("prompt_tokens", 7L, "completion_tokens", 6L, "total_tokens", 13L,
            "cost", new BigDecimal("0.0000689")));
  }

  @Test
  void toolCallEntireRequestFiresOnlyWhenTheResponseHasToolCalls() throws Exception {
    server.enqueue(allow());
    HookRunner runner = runner(hook("tools"));
    List<dev.aperture.AccessDecision.HookBinding> bindings =
        List.of(binding("tools", HookEvent.TOOL_CALL_ENTIRE_REQUEST, "tools"));

    int withoutTools = runner.postResponse(bindings, completed(TEXT_RESPONSE), listener);
    int withTools = runner.postResponse(bindings, completed(TOOL_CALL_RESPONSE), listener);

    assertThat(withoutTools).isZero();
    assertThat(withTools).isEqualTo(1);
    assertThat(received(take()).get("tool_calls")).isEqualTo(List.of(Map.of("name", "get_weather",
        "params", Map.of("city", "Zürich", "unit", "celsius"))));
    assertThat(runner.close(Duration.ofSeconds(10))).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aHookBoundToBothEventsGetsBothForAToolCallResponse() throws Exception {
    server.enqueue(allow());
    server.enqueue(allow());
    HookRunner runner = runner(hook("audit"));

    int queued = runner.postResponse(List.of(binding("audit",
        EnumSet.of(HookEvent.ENTIRE_REQUEST, HookEvent.TOOL_CALL_ENTIRE_REQUEST), "tools")),
        completed(TOOL_CALL_RESPONSE), listener);

    assertThat(queued).isEqualTo(2);
    assertThat(runner.close(Duration.ofSeconds(10))).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aPreRequestOnlyHookGetsNoPostResponseEvent() {
    int queued = runner(hook("guard")).postResponse(List.of(binding("guard", HookEvent.PRE_REQUEST)),
        completed(TOOL_CALL_RESPONSE), listener);

    assertThat(queued).isZero();
  }

  @Test
  void aSlowPostResponseHookDoesNotDelayTheCaller() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    AtomicBoolean answered = new AtomicBoolean();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        arrived.countDown();
        release.await(30, TimeUnit.SECONDS);
        answered.set(true);
        return allow();
      }
    });
    HookRunner runner = runner(hook("slow").withTimeout(Duration.ofSeconds(30)));

    int queued = runner.postResponse(List.of(binding("slow", HookEvent.ENTIRE_REQUEST)), completed(TEXT_RESPONSE),
        listener);

    // The caller is back while the hook server is still holding the request.
    assertThat(queued).isEqualTo(1);
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(answered).isFalse();
    release.countDown();
    assertThat(runner.close(Duration.ofSeconds(10))).isTrue();
    assertThat(answered).isTrue();
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void postResponseFailuresAlwaysFailOpenAndAreReported() throws Exception {
    server.enqueue(new MockResponse.Builder().code(500).build());
    HookRunner runner = runner(hook("audit").withFailClosed(true));

    runner.postResponse(List.of(binding("audit", HookEvent.ENTIRE_REQUEST)), completed(TEXT_RESPONSE), listener);

    assertThat(runner.close(Duration.ofSeconds(10))).isTrue();
    assertThat(listener.failures).singleElement().satisfies(failure -> {
      assertThat(failure.event()).isEqualTo(HookEvent.ENTIRE_REQUEST);
      assertThat(failure.refused()).isFalse();
      assertThat(failure.reason()).isEqualTo("answered HTTP 500");
    });
  }

  @Test
  void aPostResponseAnswerIsDrainedAndIgnored() throws Exception {
    server.enqueue(HookTesting.json("{\"action\": \"block\", \"message\": \"too late to block\"}"));
    server.enqueue(HookTesting.json("not json at all"));
    HookRunner runner = runner(hook("a"), hook("b"));

    runner.postResponse(List.of(binding("a", HookEvent.ENTIRE_REQUEST), binding("b", HookEvent.ENTIRE_REQUEST)),
        completed(TEXT_RESPONSE), listener);

    assertThat(runner.close(Duration.ofSeconds(10))).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(listener.failures).isEmpty();
    assertThat(listener.blocked).isEmpty();
  }

  @Test
  void anInProcessPostResponseHookGetsTheResponse() throws Exception {
    List<HookCallData> seen = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    HookHandler handler = data -> {
      seen.add(data);
      done.countDown();
      return GuardrailResponse.block("ignored after the response");
    };
    HookRunner runner = runner(HookRunner.builder()
        .inProcessHooks(Map.of("java-audit", Map.entry(HookOptions.defaults(), handler))));

    runner.postResponse(List.of(binding("java-audit", HookEvent.TOOL_CALL_ENTIRE_REQUEST, "tools", "response_body")),
        completed(TOOL_CALL_RESPONSE), listener);

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).singleElement().satisfies(data -> {
      assertThat(data.event()).isEqualTo(HookEvent.TOOL_CALL_ENTIRE_REQUEST);
      assertThat(data.json()).containsOnlyKeys("metadata", "response_body", "tool_calls");
    });
    assertThat(listener.blocked).isEmpty();
  }

  @Test
  void eventsBeyondAFullQueueAreDroppedAndCounted() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    HookHandler blocking = data -> {
      calls.incrementAndGet();
      started.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return GuardrailResponse.allow();
    };
    HookRunner runner = runner(HookRunner.builder().postResponseThreads(1).queueCapacity(1)
        .inProcessHooks(Map.of("audit", Map.entry(HookOptions.builder().timeout(Duration.ZERO).build(), blocking))));
    List<dev.aperture.AccessDecision.HookBinding> bindings = List.of(binding("audit", HookEvent.ENTIRE_REQUEST));

    List<Integer> queued = new ArrayList<>();
    queued.add(runner.postResponse(bindings, completed(TEXT_RESPONSE), listener)); // Runs, and blocks.
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 4; i++) queued.add(runner.postResponse(bindings, completed(TEXT_RESPONSE), listener));

    assertThat(queued).containsExactly(1, 1, 0, 0, 0); // One running, one waiting, three dropped.
    assertThat(runner.droppedEvents()).isEqualTo(3);
    assertThat(listener.dropped).containsExactly("audit entire_request", "audit entire_request", "audit entire_request");
    release.countDown();
    assertThat(runner.close(Duration.ofSeconds(10))).isTrue();
    assertThat(calls).hasValue(2);
  }

  @Test
  void closeDrainsTheQueuedEvents() throws Exception {
    AtomicBoolean closing = new AtomicBoolean();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        release.await(30, TimeUnit.SECONDS);
        return allow();
      }
    });
    HookRunner runner = runner(HookRunner.builder().webhooks(List.of(hook("audit").withTimeout(Duration.ofSeconds(30)))));
    for (int i = 0; i < 10; i++) {
      runner.postResponse(List.of(binding("audit", HookEvent.ENTIRE_REQUEST)), completed(TEXT_RESPONSE), listener);
    }
    Thread releaser = new Thread(() -> {
      while (!closing.get()) Thread.onSpinWait();
      release.countDown(); // Hooks answer only once close() has begun: close must wait for them.
    });
    releaser.start();

    closing.set(true);
    boolean drained = runner.close(Duration.ofSeconds(30));

    assertThat(drained).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(10);
    assertThat(runner.droppedEvents()).isZero();
    assertThat(listener.failures).isEmpty();
    releaser.join(10_000);
  }

  @Test
  void closeGivesUpAfterItsTimeLimitAndCountsWhatIsLeft() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    HookHandler stuck = data -> {
      started.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return GuardrailResponse.allow();
    };
    HookRunner runner = runner(HookRunner.builder().postResponseThreads(1)
        .inProcessHooks(Map.of("audit", Map.entry(HookOptions.builder().timeout(Duration.ZERO).build(), stuck))));
    List<dev.aperture.AccessDecision.HookBinding> bindings = List.of(binding("audit", HookEvent.ENTIRE_REQUEST));
    for (int i = 0; i < 3; i++) runner.postResponse(bindings, completed(TEXT_RESPONSE), listener);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    boolean drained = runner.close(Duration.ofMillis(100));

    assertThat(drained).isFalse();
    assertThat(runner.droppedEvents()).isEqualTo(2); // The two still queued.
    assertThat(runner.postResponse(bindings, completed(TEXT_RESPONSE), listener)).isZero();
    assertThat(runner.droppedEvents()).isEqualTo(3);
  }
}
