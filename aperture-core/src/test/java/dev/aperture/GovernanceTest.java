package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.config.ApertureConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quotas and hooks from an Aperture file, enforced on calls through the Router end to end: buckets
 * charged and refused, webhooks (real HTTP servers) blocking, modifying and failing, in-process hooks named
 * by {@code send_hooks}, and a budget that concurrent calls cannot overspend.
 */
class GovernanceTest {
  private static final Caller ALICE = Caller.of("alice@example.com");
  private static final Caller BOB = Caller.of("bob@example.com");

  private final FakeTime time = new FakeTime();
  private final MockWebServer hookServer = new MockWebServer();
  /** Answers every call at a cost of $0.0003 (300,000 nanodollars). */
  private final FakeProvider provider = new FakeProvider("fake") {
    @Override
    ChatResponse answer(ChatRequest request) {
      ChatResponse response = super.answer(request);
      return response.newBuilder().usage(response.usage().newBuilder().cost(new BigDecimal("0.0003")).build()).build();
    }
  };

  @BeforeEach
  void startHookServer() throws IOException {
    hookServer.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stopHookServer() throws IOException {
    hookServer.close();
  }

  private Router router(String config) {
    return Router.builder().config(ApertureConfig.parse(config))
        .addProvider(provider, List.of("cheap/model", "opus/model")).clock(time).sleeper(time).build();
  }

  private static final String BUDGET = """
      {
        "grants": [
          {"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user"},
            {"models": "fake/**", "quotas": [{"bucket": "daily:<user>"}]},
            {"models": "fake/opus/*", "quotas": [{"bucket": "opus-team"}]}]}}
        ],
        "quotas": {
          "daily:<user>": {"capacity": "$0.001", "rate": "$0.001/day", "on_exceed": "reject"},
          "opus-team": {"capacity": "$0.00", "rate": "$1.00/day"}
        }
      }
      """;

  @Test
  void eachCallIsChargedToItsBucketsAndAnEmptyBucketRefusesBeforeTheProviderIsCalled() {
    Router router = router(BUDGET);

    for (int i = 0; i < 4; i++) router.chat(ALICE, ChatRequest.of("cheap/model", "hi"));
    // $0.001 - 4 × $0.0003 = -$0.0002: the fourth call was admitted while positive, as in Aperture.
    assertThat(router.quotas(ALICE)).filteredOn(b -> b.bucket().definition().equals("daily:<user>"))
        .singleElement().satisfies(b -> {
      assertThat(b.bucket().name()).isEqualTo("daily:alice@example.com");
      assertThat(b.balanceNanos()).isEqualTo(-200_000);
      assertThat(b.reservedNanos()).isZero();
    });
    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("cheap/model", "hi")))
        .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
          assertThat(e.bucket()).isEqualTo("daily:alice@example.com");
          // 200,001 nanodollars at $0.001/day: 200,001 × 86,400 s / 1,000,000.
          assertThat(e.retryAfter()).isEqualTo(Duration.ofNanos(17_280_086_400_000L));
        });
    assertThat(provider.requests).hasSize(4);
    // Bob's bucket is his own.
    assertThat(router.chat(BOB, ChatRequest.of("cheap/model", "hi")).text()).isNotEmpty();
  }

  @Test
  void bucketsRefillContinuouslyOnTheClock() {
    Router router = router(BUDGET);
    for (int i = 0; i < 4; i++) router.chat(ALICE, ChatRequest.of("cheap/model", "hi"));

    time.advance(Duration.ofHours(12)); // + $0.0005

    assertThat(balance(router, "daily:alice@example.com")).isEqualTo(300_000);
    router.chat(ALICE, ChatRequest.of("cheap/model", "hi"));
  }

  @Test
  void aModelScopedZeroBucketRefusesOnlyTheModelsItNames() {
    Router router = router(BUDGET);

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("opus/model", "hi")))
        .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
          assertThat(e.bucket()).isEqualTo("opus-team");
          assertThat(e.retryAfter()).isEqualTo(QuotaBucket.FOREVER);
        });
    router.chat(ALICE, ChatRequest.of("cheap/model", "hi"));
    assertThat(provider.requests).hasSize(1);
  }

  @Test
  void anAnswerRefusedForComingFromANonGrantedModelIsStillChargedWhatTheUpstreamBilled() {
    FakeProvider strayed = new FakeProvider("fake") {
      @Override
      ChatResponse answer(ChatRequest request) {
        ChatResponse response = super.answer(request);
        return response.newBuilder().model("elsewhere/model")
            .usage(response.usage().newBuilder().cost(new BigDecimal("0.0003")).build()).build();
      }
    };
    Router router = Router.builder().config(ApertureConfig.parse(BUDGET))
        .addProvider(strayed, List.of("cheap/model")).clock(time).build();

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("cheap/model", "hi")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(balance(router, "daily:alice@example.com")).isEqualTo(700_000);
  }

  @Test
  void refillAddsToABucketUpToItsCapacity() {
    Router router = router(BUDGET);
    for (int i = 0; i < 4; i++) router.chat(ALICE, ChatRequest.of("cheap/model", "hi"));

    assertThat(router.refill("daily:alice@example.com", 100_000).balanceNanos()).isEqualTo(-100_000);
    assertThat(router.refill("daily:alice@example.com", 5_000_000).balanceNanos()).isEqualTo(1_000_000);
    assertThatThrownBy(() -> router.refill("nightly:alice", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentCallsCannotOverspendABudget() throws Exception {
    // max_tokens and a price give each call an estimate that covers its cost (300,000 ≤ 400,000).
    FakeProvider priced = new FakeProvider("fake") {
      @Override
      ChatResponse answer(ChatRequest request) {
        ChatResponse response = super.answer(request);
        return response.newBuilder().usage(response.usage().newBuilder().cost(new BigDecimal("0.0003")).build()).build();
      }

      @Override
      public ModelPricing pricing(String model) {
        return ModelPricing.of(BigDecimal.ZERO, new BigDecimal("0.000004"));
      }
    };
    Router router = Router.builder().config(ApertureConfig.parse("""
        {"grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user", "models": "**", "quotas": [{"bucket": "team"}]}]}}],
         "quotas": {"team": {"capacity": "$0.10", "rate": "$0.00/day"}}}
        """)).addProvider(priced, List.of("m")).clock(time).build();
    ExecutorService threads = Executors.newFixedThreadPool(50);
    AtomicLong admitted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        calls.add(threads.submit(() -> {
          try {
            router.chat(ALICE, ChatRequest.builder().model("m").user("hi").maxTokens(100).build());
            admitted.incrementAndGet();
          } catch (QuotaExceededException e) {
            refused.incrementAndGet();
          }
        }));
      }
      for (Future<?> call : calls) call.get(60, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    QuotaBalance team = router.quotas(ALICE).get(0);
    long charged = 100_000_000 - team.balanceNanos();
    // No lost or double charge: every admitted call charged exactly its cost.
    assertThat(charged).isEqualTo(admitted.get() * 300_000);
    // Aperture's rule admits a call while the bucket is positive, so the last one may end below zero by
    // at most its own cost; reservations keep 50 threads from each taking that liberty at once.
    assertThat(charged).isLessThanOrEqualTo(100_000_000 + 300_000 - 1);
    assertThat(team.reservedNanos()).isZero();
    assertThat(admitted.get() + refused.get()).isEqualTo(1_000);
    assertThat(refused.get()).isPositive();
  }

  private static long balance(Router router, String bucket) {
    return router.quotas(ALICE).stream().filter(b -> b.bucket().name().equals(bucket)).findFirst()
        .orElseThrow().balanceNanos();
  }

  private String hooked(String failPolicy, String events, String send) {
    return """
        {
          "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user", "models": "fake/**"},
            {"send_hooks": [{"name": "pii-guard", "events": %s, "send": %s}]}]}}],
          "hooks": {"pii-guard": {"url": "%s", "apikey": "hook-secret-key-123456", "timeout": "5s",
                                  "fail_policy": "%s"}}
        }
        """.formatted(events, send, hookServer.url("/check"), failPolicy);
  }

  @Test
  void aBlockingWebhookStopsTheCallWithItsStatusAndTheProviderIsNeverCalled() throws Exception {
    hookServer.enqueue(new MockResponse.Builder()
        .body("{\"action\": \"block\", \"status_code\": 451, \"message\": \"no SSNs\", \"extra\": 1}").build());
    Router router = router(hooked("fail_open", "[\"pre_request\"]", "[\"user_message\"]"));

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("cheap/model", "my SSN is 078-05-1120")))
        .isInstanceOfSatisfying(HookBlockedException.class, e -> {
          assertThat(e.hook()).isEqualTo("pii-guard");
          assertThat(e.statusCode()).isEqualTo(451);
          assertThat(e.hookMessage()).isEqualTo("no SSNs");
        });
    assertThat(provider.requests).isEmpty();
    RecordedRequest sent = hookServer.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer hook-secret-key-123456");
    String body = sent.getBody().utf8();
    assertThat(body).contains("\"user_message\":\"my SSN is 078-05-1120\"")
        .contains("\"login_name\":\"alice@example.com\"").contains("\"model\":\"cheap/model\"")
        .doesNotContain("request_body");
  }

  @Test
  void aModifyingWebhookReplacesTheBodyTheProviderGets() {
    hookServer.enqueue(new MockResponse.Builder().body("""
        {"action": "modify", "request_body": {"model": "cheap/model",
          "messages": [{"role": "user", "content": "my SSN is [redacted]"}]}}""").build());
    Router router = router(hooked("fail_closed", "[\"pre_request\"]", "[\"request_body\"]"));

    router.chat(ALICE, ChatRequest.of("cheap/model", "my SSN is 078-05-1120"));

    assertThat(provider.requests).singleElement()
        .satisfies(r -> assertThat(r.messages().get(0).text()).isEqualTo("my SSN is [redacted]"));
  }

  @Test
  void aModifyingWebhookCannotAddAFallbackModelOutsideTheGrants() {
    hookServer.enqueue(new MockResponse.Builder().body("""
        {"action": "modify", "request_body": {"model": "cheap/model", "models": ["opus/model"],
          "messages": [{"role": "user", "content": "hi"}]}}""").build());
    String config = hooked("fail_closed", "[\"pre_request\"]", "[\"request_body\"]")
        .replace("\"models\": \"fake/**\"", "\"models\": \"fake/cheap/*\"");
    FakeProvider fallbacks = new FakeProvider("fake") {
      @Override
      public java.util.Set<String> modelSelectingParameters() {
        return java.util.Set.of("models");
      }
    };
    Router router = Router.builder().config(ApertureConfig.parse(config))
        .addProvider(fallbacks, List.of("cheap/model", "opus/model")).build();

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("cheap/model", "hi")))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(fallbacks.requests).isEmpty();
  }

  @Test
  void aFailClosedHookThatCannotBeReachedRefusesTheCallWithoutItsKey() {
    hookServer.enqueue(new MockResponse.Builder().code(500).body("boom").build());
    Router router = router(hooked("fail_closed", "[\"pre_request\"]", "[]"));

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("cheap/model", "hi")))
        .isInstanceOfSatisfying(HookFailedException.class, e -> {
          assertThat(e.hook()).isEqualTo("pii-guard");
          assertThat(e.getMessage()).doesNotContain("hook-secret");
        });
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void aFailOpenHookThatFailsIsSkipped() {
    hookServer.enqueue(new MockResponse.Builder().body("not json").build());
    Router router = router(hooked("fail_open", "[\"pre_request\"]", "[]"));

    assertThat(router.chat(ALICE, ChatRequest.of("cheap/model", "hi")).text()).isNotEmpty();
  }

  @Test
  void entireRequestHooksGetTheResponseAfterTheCallWithoutDelayingIt() throws Exception {
    hookServer.enqueue(new MockResponse.Builder().body("{\"action\": \"allow\"}").build());
    Router router = router(hooked("fail_open", "[\"entire_request\"]", "[\"response_body\", \"estimated_cost\"]"));

    String text = router.chat(ALICE, ChatRequest.of("cheap/model", "hi")).text();
    router.close();

    RecordedRequest sent = hookServer.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getBody().utf8()).contains("\"response_body\":").contains(text)
        .contains("\"estimated_cost\":");
  }

  @Test
  void aHookCannotOutlastTheCallsDeadline() {
    String config = """
        {"grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user", "models": "fake/**"},
            {"send_hooks": [{"name": "slow", "events": ["pre_request"]}]}]}}]}
        """;
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    Router router = Router.builder().config(ApertureConfig.parse(config)).addProvider(provider, List.of("cheap/model"))
        // No timeout of its own (0 = none), fail_closed: only the call's deadline can end the wait.
        .addHook("slow", HookOptions.builder().timeout(Duration.ZERO).failClosed(true).build(), data -> {
          try {
            never.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return GuardrailResponse.allow();
        })
        .callTimeout(Duration.ofMillis(200))
        .build();

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("cheap/model", "hi")))
        .isInstanceOfSatisfying(HookFailedException.class,
            e -> assertThat(e.getMessage()).contains("left of the call's deadline"));
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void anInProcessHookIsNamedBySendHooksLikeAWebhook() {
    String config = """
        {"grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user", "models": "fake/**"},
            {"send_hooks": [{"name": "no-keys", "events": ["pre_request"], "send": ["user_message"]}]}]}}]}
        """;
    Router router = Router.builder().config(ApertureConfig.parse(config)).addProvider(provider, List.of("cheap/model"))
        .addHook("no-keys", HookOptions.builder().failClosed(true).build(), data ->
            String.valueOf(data.json().get("user_message")).contains("BEGIN PRIVATE KEY")
                ? GuardrailResponse.block("no keys in prompts") : GuardrailResponse.allow())
        .build();

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("cheap/model", "-----BEGIN PRIVATE KEY-----")))
        .isInstanceOfSatisfying(HookBlockedException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    assertThat(router.chat(ALICE, ChatRequest.of("cheap/model", "hello")).text()).isNotEmpty();
    assertThat(provider.requests).hasSize(1);
  }

  @Test
  void aStreamClosedBeforeItsUsageIsStillChargedAtTheGenerationsCost() throws Exception {
    CompletableFuture<BigDecimal> cost = new CompletableFuture<>();
    FakeProvider streaming = new FakeProvider("fake") {
      @Override
      public CompletableFuture<BigDecimal> generationCost(String generationId) {
        assertThat(generationId).isEqualTo("gen-s");
        return cost;
      }
    };
    streaming.streamScript = List.of(FakeProvider.chunk("a", null), FakeProvider.chunk("b", null),
        FakeProvider.chunk("c", FinishReason.STOP));
    Router router = Router.builder().config(ApertureConfig.parse(BUDGET))
        .addProvider(streaming, List.of("cheap/model")).clock(time).build();

    ChatStream stream = router.stream(ALICE, ChatRequest.of("cheap/model", "hi"));
    stream.iterator().next();
    stream.close();
    assertThat(balance(router, "daily:alice@example.com")).isEqualTo(1_000_000);

    cost.complete(new BigDecimal("0.00025"));
    assertThat(balance(router, "daily:alice@example.com")).isEqualTo(750_000);
  }

}
