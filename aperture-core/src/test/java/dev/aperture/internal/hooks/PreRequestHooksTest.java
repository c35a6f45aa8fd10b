package dev.aperture.internal.hooks;

import static dev.aperture.internal.hooks.HookTesting.HOOK_KEY;
import static dev.aperture.internal.hooks.HookTesting.allow;
import static dev.aperture.internal.hooks.HookTesting.binding;
import static dev.aperture.internal.hooks.HookTesting.context;
import static dev.aperture.internal.hooks.HookTesting.json;
import static dev.aperture.internal.hooks.HookTesting.map;
import static dev.aperture.internal.hooks.HookTesting.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.AccessDecision;
import dev.aperture.AccessDecision.HookBinding;
import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.ChatRequest;
import dev.aperture.GuardrailResponse;
import dev.aperture.HookBlockedException;
import dev.aperture.HookCallData;
import dev.aperture.HookFailedException;
import dev.aperture.HookHandler;
import dev.aperture.HookOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code pre_request} hooks against real HTTP hook servers. */
final class PreRequestHooksTest {
  private final MockWebServer server = new MockWebServer();
  private final HookTesting.RecordingListener listener = new HookTesting.RecordingListener();
  private final List<HookRunner> runners = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void tearDown() {
    runners.forEach(runner -> runner.close(Duration.ofSeconds(5)));
    server.close();
  }

  private WebhookSpec hook(String name) {
    return WebhookSpec.of(name, server.url("/" + name).toString());
  }

  private HookRunner runner(WebhookSpec... specs) {
    HookRunner runner = HookRunner.builder().webhooks(List.of(specs)).build();
    runners.add(runner);
    return runner;
  }

  private HookRunner.PreRequestResult preRequest(HookRunner runner, HookBinding... bindings) {
    return runner.preRequest(List.of(bindings), context().build(), listener);
  }

  @Test
  void theHookReceivesExactlyMetadataAndTheFieldsItsSendListAsksFor() throws Exception {
    server.enqueue(allow());
    HookRunner runner = runner(hook("ssn-scrubber").withApiKey(HOOK_KEY, WebhookSpec.Authorization.BEARER));

    HookRunner.PreRequestResult result = preRequest(runner,
        binding("ssn-scrubber", HookEvent.PRE_REQUEST, "request_body", "user_message"));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/ssn-scrubber");
    assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + HOOK_KEY);
    assertThat(request.getBody().utf8()).isEqualTo("{"
        + "\"metadata\":{"
        + "\"login_name\":\"alice@example.com\","
        + "\"user_agent\":\"claude-code/1.0\","
        + "\"url\":\"https://aperture.tail1234.ts.net/v1/chat/completions\","
        + "\"model\":\"anthropic/claude-sonnet-4\","
        + "\"provider\":\"openrouter\","
        + "\"tailnet_name\":\"example.ts.net\","
        + "\"stable_node_id\":\"nSTABLE123\","
        + "\"request_id\":\"req_abc123\","
        + "\"session_id\":\"sess_xyz789\"},"
        + "\"request_body\":{"
        + "\"model\":\"anthropic/claude-sonnet-4\","
        + "\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are terse.\"},"
        + "{\"role\":\"user\",\"content\":\"My SSN is 123-45-6789, write a function that sorts a list\"}],"
        + "\"max_tokens\":4096},"
        + "\"user_message\":\"My SSN is 123-45-6789, write a function that sorts a list\"}");
    assertThat(result.modified()).isFalse();
    assertThat(result.body()).isEqualTo(HookTesting.requestBody());
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void withAnEmptySendListTheHookGetsOnlyMetadata() throws Exception {
    server.enqueue(allow());
    HookRunner runner = runner(hook("audit"));

    preRequest(runner, binding("audit", HookEvent.PRE_REQUEST));

    Map<String, @Nullable Object> json = received(server.takeRequest());
    assertThat(json).containsOnlyKeys("metadata");
    assertThat(map(json.get("metadata"))).containsOnlyKeys("login_name", "user_agent", "url", "model",
        "provider", "tailnet_name", "stable_node_id", "request_id", "session_id");
  }

  @Test
  void responseSideFieldsAreNeverSentBeforeTheResponse() throws Exception {
    server.enqueue(allow());
    HookRunner runner = runner(hook("all"));

    preRequest(runner, binding("all", HookEvent.PRE_REQUEST, "response_body", "raw_responses", "tools",
        "user_message"));

    assertThat(received(server.takeRequest())).containsOnlyKeys("metadata", "user_message");
  }

  @Test
  void grantsEstimatedCostAndQuotasGoInMetadata() throws Exception {
    server.enqueue(allow());
    HookRunner runner = runner(hook("policy"));
    HookContext context = context()
        .customCapabilities(Map.of("mycompany.com/cap/policy",
            List.of(Map.of("tier", "enterprise", "department", "engineering"))))
        .estimatedCost(new HookContext.Cost(4_200_000, "openrouter/anthropic/claude-sonnet-4", 150, 0, 0, 0))
        .quotas(List.of(new dev.aperture.QuotaBalance(new dev.aperture.QuotaBucket("daily:alice@example.com",
            "daily:<user>", 10_000_000_000L, 5_000_000_000L, Duration.ofDays(1)), 5_000_000_000L, 0)))
        .build();

    runner.preRequest(List.of(binding("policy", HookEvent.PRE_REQUEST, "grants", "estimated_cost", "quotas")),
        context, listener);

    Map<String, @Nullable Object> json = received(server.takeRequest());
    assertThat(json).containsOnlyKeys("metadata");
    Map<String, @Nullable Object> metadata = map(json.get("metadata"));
    assertThat(metadata.get("grants")).isEqualTo(Map.of("mycompany.com/cap/policy",
        List.of(Map.of("tier", "enterprise", "department", "engineering"))));
    assertThat(map(metadata.get("estimated_cost"))).containsOnlyKeys("dollars", "cost_basis", "usage");
    assertThat(map(metadata.get("estimated_cost")).get("dollars")).hasToString("0.0042");
    assertThat(map(metadata.get("estimated_cost")).get("cost_basis")).isEqualTo("openrouter/anthropic/claude-sonnet-4");
    assertThat(map(metadata.get("estimated_cost")).get("usage")).isEqualTo(Map.of("input_tokens", 150L));
    assertThat(metadata.get("quotas")).isEqualTo(Map.of("daily:alice@example.com",
        Map.of("current", 5_000_000_000L, "capacity", 10_000_000_000L, "rate", "$5.00/day")));
  }

  @ParameterizedTest
  @CsvSource({"BEARER, Authorization, 'Bearer '", "X_API_KEY, X-Api-Key, ''", "X_GOOG_API_KEY, X-Goog-Api-Key, ''"})
  void theKeyIsSentAsTheAuthorizationSettingSays(WebhookSpec.Authorization authorization, String header,
      String prefix) throws Exception {
    server.enqueue(allow());
    HookRunner runner = runner(hook("guard").withApiKey(HOOK_KEY, authorization));

    preRequest(runner, binding("guard", HookEvent.PRE_REQUEST));

    RecordedRequest request = server.takeRequest();
    assertThat(request.getHeaders().get(header)).isEqualTo((prefix == null ? "" : prefix) + HOOK_KEY);
    if (authorization != WebhookSpec.Authorization.BEARER) assertThat(request.getHeaders().get("Authorization")).isNull();
  }

  @Test
  void aHookWithoutAKeySendsNoAuthorization() throws Exception {
    server.enqueue(allow());
    preRequest(runner(hook("guard")), binding("guard", HookEvent.PRE_REQUEST));

    assertThat(server.takeRequest().getHeaders().get("Authorization")).isNull();
  }

  @Test
  void blockStopsTheChainWithTheHooksStatusAndMessage() throws Exception {
    server.enqueue(json("{\"action\": \"block\", \"status_code\": 451, \"message\": \"Request blocked: SSN detected\"}"));
    HookRunner runner = runner(hook("first").withPreference(10), hook("second"));

    HookBlockedException blocked = catchThrowableOfType(HookBlockedException.class, () -> preRequest(runner,
        binding("first", HookEvent.PRE_REQUEST), binding("second", HookEvent.PRE_REQUEST)));

    assertThat(blocked.hook()).isEqualTo("first");
    assertThat(blocked.statusCode()).isEqualTo(451);
    assertThat(blocked.hookMessage()).isEqualTo("Request blocked: SSN detected");
    assertThat(server.getRequestCount()).isEqualTo(1); // The second hook was never asked.
    assertThat(listener.blocked).containsExactly("first 451 Request blocked: SSN detected");
  }

  @Test
  void aBlockWithoutAStatusCodeIs403() {
    // The SSN scrubber recipe's answer, verbatim.
    server.enqueue(json("{\n  \"action\": \"block\",\n  \"message\": \"Request blocked: SSN detected in prompt.\"\n}"));

    HookBlockedException blocked = catchThrowableOfType(HookBlockedException.class,
        () -> preRequest(runner(hook("ssn-scrubber")), binding("ssn-scrubber", HookEvent.PRE_REQUEST)));

    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(blocked.getMessage()).isEqualTo("blocked by hook 'ssn-scrubber': Request blocked: SSN detected in prompt.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"451\"", "0", "999", "403.5", "null"})
  void aBlockWithAStatusCodeThatIsNotAnHttpStatusIs403(String statusCode) {
    server.enqueue(json("{\"action\": \"block\", \"status_code\": " + statusCode + "}"));

    HookBlockedException blocked = catchThrowableOfType(HookBlockedException.class,
        () -> preRequest(runner(hook("g")), binding("g", HookEvent.PRE_REQUEST)));

    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(blocked.hookMessage()).isEmpty();
  }

  @Test
  void modifyReplacesTheWholeBodyAndTheNextHookSeesTheModifiedOne() throws Exception {
    String scrubbed = "{\"model\": \"anthropic/claude-sonnet-4\", \"messages\": "
        + "[{\"role\": \"user\", \"content\": \"My SSN is [REDACTED], write a function that sorts a list\"}]}";
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return request.getUrl().encodedPath().equals("/scrubber")
            ? json("{\"action\": \"modify\", \"request_body\": " + scrubbed + ", \"note\": \"ignored\"}")
            : allow();
      }
    });
    HookRunner runner = runner(hook("scrubber").withPreference(100), hook("auditor"));

    HookRunner.PreRequestResult result = preRequest(runner,
        binding("auditor", HookEvent.PRE_REQUEST, "request_body", "user_message"),
        binding("scrubber", HookEvent.PRE_REQUEST, "request_body"));

    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/scrubber");
    Map<String, @Nullable Object> second = received(server.takeRequest());
    assertThat(second.get("request_body")).isEqualTo(HookBodies.parseJson(scrubbed.getBytes()));
    assertThat(second.get("user_message")).isEqualTo("My SSN is [REDACTED], write a function that sorts a list");
    assertThat(result.modified()).isTrue();
    assertThat(result.body()).isEqualTo(HookBodies.parseJson(scrubbed.getBytes()));
    // The whole body was replaced: the system message and max_tokens are gone.
    ChatRequest sent = HookBodies.chatRequest(result.body(), HookTesting.request());
    assertThat(sent.messages()).hasSize(1);
    assertThat(sent.maxTokens()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"text\"", "[1, 2]", "null", "42"})
  void aModifyWhoseRequestBodyIsNotAnObjectIsAnAllow(String requestBody) throws Exception {
    server.enqueue(json("{\"action\": \"modify\", \"request_body\": " + requestBody + "}"));
    server.enqueue(json("{\"action\": \"modify\"}"));

    HookRunner runner = runner(hook("a"), hook("b"));
    HookRunner.PreRequestResult result = preRequest(runner, binding("a", HookEvent.PRE_REQUEST),
        binding("b", HookEvent.PRE_REQUEST));

    assertThat(result.modified()).isFalse();
    assertThat(result.body()).isEqualTo(HookTesting.requestBody());
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void aModifiedBodyThatIsNotAChatRequestIsAFailureOfTheHook() {
    server.enqueue(json("{\"action\": \"modify\", \"request_body\": {\"messages\": []}}"));
    HookRunner runner = runner(hook("broken").withFailClosed(true));

    HookFailedException failure = catchThrowableOfType(HookFailedException.class, () -> preRequest(runner,
        binding("broken", HookEvent.PRE_REQUEST)));

    assertThat(failure.getMessage()).isEqualTo("hook 'broken' failed and is fail_closed: answered modify with a "
        + "request_body that cannot be sent: missing required field 'model' at $.model");
  }

  @Test
  void hooksRunByPreferenceHighestFirstThenByName() throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return allow();
      }
    });
    HookRunner runner = runner(hook("zeta").withPreference(5), hook("beta"), hook("alpha"),
        hook("omega").withPreference(100), hook("low").withPreference(-1));

    preRequest(runner, binding("low", HookEvent.PRE_REQUEST), binding("beta", HookEvent.PRE_REQUEST),
        binding("alpha", HookEvent.PRE_REQUEST), binding("zeta", HookEvent.PRE_REQUEST),
        binding("omega", HookEvent.PRE_REQUEST));

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) order.add(server.takeRequest().getUrl().encodedPath());
    assertThat(order).containsExactly("/omega", "/zeta", "/alpha", "/beta", "/low");
  }

  @Test
  void bindingsOfOneHookFromSeveralGrantsAreUnionedAndItFiresOnce() throws Exception {
    server.enqueue(allow());
    AccessDecision decision = AccessDecision.builder().allowed(true)
        .addHook(binding("guard", HookEvent.PRE_REQUEST, "user_message"))
        .addHook(binding("guard", HookEvent.ENTIRE_REQUEST, "request_body"))
        .build();

    preRequest(runner(hook("guard")), decision.hooks().values().toArray(HookBinding[]::new));

    assertThat(received(server.takeRequest())).containsOnlyKeys("metadata", "user_message", "request_body");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aDisabledOrUnknownHookSendsNothing() {
    HookRunner runner = runner(hook("off").withDisabled(true).withFailClosed(true));

    HookRunner.PreRequestResult result = preRequest(runner, binding("off", HookEvent.PRE_REQUEST),
        binding("nobody", HookEvent.PRE_REQUEST));

    assertThat(result.modified()).isFalse();
    assertThat(server.getRequestCount()).isZero();
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void aHookBoundOnlyToPostResponseEventsIsNotCalledBeforeTheRequest() {
    preRequest(runner(hook("audit")), binding("audit", HookEvent.ENTIRE_REQUEST, "request_body"));

    assertThat(server.getRequestCount()).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // Failures

  enum Failure {
    UNREACHABLE, HTTP_500, BAD_JSON, EMPTY_BODY, NO_ACTION, UNKNOWN_ACTION, NOT_AN_OBJECT, TIMEOUT
  }

  private final CountDownLatch stalled = new CountDownLatch(1);

  /** A hook that fails this way, and the reason the runner gives. */
  private WebhookSpec failing(Failure failure, String name) throws IOException {
    switch (failure) {
      case UNREACHABLE -> {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
          port = socket.getLocalPort();
        }
        return WebhookSpec.of(name, "http://127.0.0.1:" + port + "/check");
      }
      case HTTP_500 -> server.enqueue(new MockResponse.Builder().code(500).body("{\"error\": \"down\"}").build());
      case BAD_JSON -> server.enqueue(json("{\"action\": \"allow\""));
      case EMPTY_BODY -> server.enqueue(new MockResponse.Builder().code(200).build());
      case NO_ACTION -> server.enqueue(json("{\"status_code\": 403}"));
      case UNKNOWN_ACTION -> server.enqueue(json("{\"action\": \"deny\"}"));
      case NOT_AN_OBJECT -> server.enqueue(json("[\"allow\"]"));
      case TIMEOUT -> server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
          stalled.await(30, TimeUnit.SECONDS); // Answers only after the test is over.
          return allow();
        }
      });
    }
    return hook(name).withTimeout(Duration.ofMillis(300));
  }

  private static String expectedReason(Failure failure) {
    return switch (failure) {
      case UNREACHABLE -> "unreachable: connection refused or failed (ConnectException)";
      case HTTP_500 -> "answered HTTP 500";
      case BAD_JSON -> "answered with invalid JSON: the JSON ended early at $.action";
      case EMPTY_BODY -> "answered with an empty body";
      case NO_ACTION -> "answered without an 'action' string (allow, block or modify)";
      case UNKNOWN_ACTION -> "answered action 'deny', which is not allow, block or modify";
      case NOT_AN_OBJECT -> "answered with a JSON array, not a GuardrailResponse object";
      case TIMEOUT -> "no answer within its timeout of 300 ms";
    };
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Failure.class)
  void aFailOpenHookThatFailsIsSkippedAndReported(Failure failure) throws Exception {
    try {
      HookRunner runner = runner(failing(failure, "guard"));

      HookRunner.PreRequestResult result = preRequest(runner, binding("guard", HookEvent.PRE_REQUEST));

      assertThat(result.modified()).isFalse();
      assertThat(listener.failures).hasSize(1);
      HookFailure reported = listener.failures.get(0);
      assertThat(reported.hook()).isEqualTo("guard");
      assertThat(reported.event()).isEqualTo(HookEvent.PRE_REQUEST);
      assertThat(reported.refused()).isFalse();
      assertThat(reported.reason()).startsWith(expectedReason(failure));
      assertThat(reported.toException().getMessage())
          .isEqualTo("hook 'guard' (pre_request) failed and was skipped: " + reported.reason());
    } finally {
      stalled.countDown();
    }
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Failure.class)
  void aFailClosedHookThatFailsRefusesTheCall(Failure failure) throws Exception {
    try {
      HookRunner runner = runner(failing(failure, "guard").withFailClosed(true));

      HookFailedException refused = catchThrowableOfType(HookFailedException.class,
          () -> preRequest(runner, binding("guard", HookEvent.PRE_REQUEST)));

      assertThat(refused.hook()).isEqualTo("guard");
      assertThat(refused.getMessage()).startsWith("hook 'guard' failed and is fail_closed: " + expectedReason(failure));
      assertThat(listener.failures).singleElement().satisfies(f -> assertThat(f.refused()).isTrue());
    } finally {
      stalled.countDown();
    }
  }

  @Test
  void aFailOpenFailureLetsTheNextHookRun() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).build());
    server.enqueue(json("{\"action\": \"block\", \"message\": \"no\"}"));
    HookRunner runner = runner(hook("a"), hook("b"));

    HookBlockedException blocked = catchThrowableOfType(HookBlockedException.class, () -> preRequest(runner,
        binding("a", HookEvent.PRE_REQUEST), binding("b", HookEvent.PRE_REQUEST)));

    assertThat(blocked.hook()).isEqualTo("b");
    assertThat(listener.failures).extracting(HookFailure::hook).containsExactly("a");
  }

  @Test
  void hookKeysNeverAppearInMessagesOrLogs() throws Exception {
    try (HookTesting.LogCapture logs = new HookTesting.LogCapture()) {
      // Answers that echo the key back: in an error body, in a bad action, in invalid JSON.
      server.enqueue(new MockResponse.Builder().code(401).body("bad key " + HOOK_KEY).build());
      server.enqueue(json("{\"action\": \"" + HOOK_KEY + "\"}"));
      server.enqueue(json("{\"action\": " + HOOK_KEY));
      server.enqueue(json("{\"action\": \"block\", \"message\": \"key " + HOOK_KEY + " is not allowed\"}"));
      List<String> messages = new ArrayList<>();
      for (WebhookSpec.Authorization auth : List.of(WebhookSpec.Authorization.BEARER,
          WebhookSpec.Authorization.X_API_KEY, WebhookSpec.Authorization.X_GOOG_API_KEY)) {
        HookRunner runner = runner(hook("guard").withApiKey(HOOK_KEY, auth).withFailClosed(true));
        HookFailedException refused = catchThrowableOfType(HookFailedException.class,
            () -> preRequest(runner, binding("guard", HookEvent.PRE_REQUEST)));
        messages.add(refused.getMessage());
        messages.add(String.valueOf(refused.getCause()));
        messages.add(runner.toString());
      }
      HookRunner runner = runner(hook("guard").withApiKey(HOOK_KEY, WebhookSpec.Authorization.BEARER));
      HookBlockedException blocked = catchThrowableOfType(HookBlockedException.class,
          () -> preRequest(runner, binding("guard", HookEvent.PRE_REQUEST)));
      messages.add(blocked.getMessage());
      messages.add(hook("guard").withApiKey(HOOK_KEY, WebhookSpec.Authorization.BEARER).toString());
      listener.failures.forEach(f -> messages.add(f.reason()));

      assertThat(messages).hasSize(14).noneMatch(m -> m.contains(HOOK_KEY));
      assertThat(messages.get(3)).contains("answered action '<redacted>'");
      assertThat(blocked.getMessage()).isEqualTo("blocked by hook 'guard': key <redacted> is not allowed");
      assertThat(logs.all()).hasSize(3).noneMatch(line -> line.contains(HOOK_KEY));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // In-process hooks

  private HookRunner inProcess(String name, HookOptions options, HookHandler handler, WebhookSpec... webhooks) {
    HookRunner runner = HookRunner.builder().webhooks(List.of(webhooks))
        .inProcessHooks(Map.of(name, Map.entry(options, handler))).build();
    runners.add(runner);
    return runner;
  }

  @Test
  void anInProcessHookGetsTheSameDataAWebhookWould() throws Exception {
    server.enqueue(allow());
    List<HookCallData> seen = new CopyOnWriteArrayList<>();
    HookRunner runner = inProcess("java", HookOptions.defaults(), data -> {
      seen.add(data);
      return GuardrailResponse.allow();
    }, hook("web"));

    preRequest(runner, binding("java", HookEvent.PRE_REQUEST, "request_body", "user_message"),
        binding("web", HookEvent.PRE_REQUEST, "request_body", "user_message"));

    assertThat(seen).singleElement().satisfies(data -> {
      assertThat(data.event()).isEqualTo(HookEvent.PRE_REQUEST);
      assertThat(data.json()).isEqualTo(received(server.takeRequest()));
    });
  }

  @Test
  void anInProcessHookReplacesAWebhookOfTheSameName() {
    HookRunner runner = inProcess("guard", HookOptions.defaults(), data -> GuardrailResponse.block(429, "slow down"),
        hook("guard"));

    HookBlockedException blocked = catchThrowableOfType(HookBlockedException.class,
        () -> preRequest(runner, binding("guard", HookEvent.PRE_REQUEST)));

    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void inProcessAndWebhookHooksShareOnePreferenceOrder() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        order.add(request.getUrl().encodedPath());
        return allow();
      }
    });
    HookRunner runner = inProcess("middle", HookOptions.builder().preference(5).build(), data -> {
      order.add("middle");
      return GuardrailResponse.modify(Map.of("model", "m", "messages", List.of()));
    }, hook("first").withPreference(10), hook("last"));

    HookRunner.PreRequestResult result = preRequest(runner, binding("last", HookEvent.PRE_REQUEST, "request_body"),
        binding("middle", HookEvent.PRE_REQUEST), binding("first", HookEvent.PRE_REQUEST));

    assertThat(order).containsExactly("/first", "middle", "/last");
    assertThat(received(server.takeRequest())).containsOnlyKeys("metadata");
    assertThat(received(server.takeRequest()).get("request_body")).isEqualTo(Map.of("model", "m", "messages", List.of()));
    assertThat(result.body()).isEqualTo(Map.of("model", "m", "messages", List.of()));
  }

  @Test
  void aThrowingInProcessHookIsAFailure() {
    HookRunner runner = inProcess("java", HookOptions.builder().failClosed(true).build(), data -> {
      throw new IllegalStateException("policy store offline");
    });

    HookFailedException refused = catchThrowableOfType(HookFailedException.class,
        () -> preRequest(runner, binding("java", HookEvent.PRE_REQUEST)));

    assertThat(refused.getMessage())
        .isEqualTo("hook 'java' failed and is fail_closed: threw IllegalStateException: policy store offline");
    assertThat(refused.getCause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anInProcessHookReturningNullIsAFailure() {
    HookRunner runner = inProcess("java", HookOptions.defaults(), data -> null);

    preRequest(runner, binding("java", HookEvent.PRE_REQUEST));

    assertThat(listener.failures).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(HookFailure.Kind.HANDLER_FAILED);
      assertThat(f.reason()).isEqualTo("returned null");
    });
  }

  @Test
  void anInProcessHookGetsTheSameTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    HookRunner runner = inProcess("slow", HookOptions.builder().failClosed(true).timeout(Duration.ofMillis(200)).build(),
        data -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            interrupted.countDown(); // The runner cancels a hook that ran out of time.
          }
          return GuardrailResponse.allow();
        });

    HookFailedException refused = catchThrowableOfType(HookFailedException.class,
        () -> preRequest(runner, binding("slow", HookEvent.PRE_REQUEST)));

    assertThat(refused.getMessage()).isEqualTo("hook 'slow' failed and is fail_closed: no answer within its timeout of 200 ms");
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
  }
}
