package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class VerifyTest {
  private final Configs.FakeFactory factory = new Configs.FakeFactory("openrouter");
  private final java.util.concurrent.CompletableFuture<ChatResponse> pending =
      new java.util.concurrent.CompletableFuture<>();

  private Router router(int concurrency) {
    return Router.builder()
        .config(Configs.create()
            .provider("openrouter", "qwen/a", "x-ai/b", "google/c")
            .grant(List.of("*"), "user", "openrouter/qwen/*", "openrouter/x-ai/*")
            .build())
        .addProviderFactory(factory)
        .verifyConcurrency(concurrency)
        .build();
  }

  @Test
  void reportsOneResultPerModelInOrderWithTheReasonForEachFailure() {
    Router router = router(4);
    FakeProvider provider = factory.built.get("openrouter");
    provider.failWhen = request -> request.model().equals("x-ai/b")
        ? AuthenticationException.builder("openrouter").statusCode(401)
            .message("openrouter rejected the API key (401)").build()
        : null;

    List<VerifyResult> results = router.verify(Caller.of("alice@example.com"),
        List.of("qwen/a", "x-ai/b", "google/c", "nope/d"));

    assertThat(results).extracting(VerifyResult::model)
        .containsExactly("qwen/a", "x-ai/b", "google/c", "nope/d");
    assertThat(results).extracting(VerifyResult::ok).containsExactly(true, false, false, false);
    assertThat(results.get(0).providerId()).isEqualTo("openrouter");
    assertThat(results.get(0).reason()).isNull();
    assertThat(results.get(1).reason()).isEqualTo("bad key: openrouter rejected the API key (401)");
    assertThat(results.get(1).error()).isInstanceOf(AuthenticationException.class);
    assertThat(results.get(2).reason()).contains("not granted");
    assertThat(results.get(3).reason()).contains("not found");
    assertThat(results).allSatisfy(r -> assertThat(r.latency().isNegative()).isFalse());
  }

  @Test
  void sendsAMinimalRealChatRequestThroughTheFullPath() {
    Router router = router(4);

    router.verify(Caller.anonymous(), List.of("openrouter/qwen/a"));

    ChatRequest sent = factory.built.get("openrouter").requests.get(0);
    assertThat(sent.model()).isEqualTo("qwen/a");
    assertThat(sent.maxTokens()).isEqualTo(16);
    assertThat(sent.messages()).hasSize(1);
  }

  @Test
  void usesTheProvidersDiagnosisWhenItCanSayMore() {
    Router router = router(4);
    FakeProvider provider = factory.built.get("openrouter");
    provider.failures.add(FakeProvider.permanent("openrouter", 404));
    provider.diagnosis = "model 'qwen/a' is not on OpenRouter; did you mean 'qwen/qwen3'?";

    VerifyResult result = router.verify(Caller.anonymous(), List.of("qwen/a")).get(0);

    assertThat(result.ok()).isFalse();
    assertThat(result.reason()).isEqualTo("unknown model or no endpoint for it: openrouter answered 404"
        + " (diagnosis: " + provider.diagnosis + ")");
  }

  @Test
  void namesARefusedCallFirstAndOnlyThenTheDiagnosis() {
    Router router = router(4);
    FakeProvider provider = factory.built.get("openrouter");
    provider.failures.add(InsufficientCreditsException.builder("openrouter").statusCode(402)
        .message("provider 'openrouter' answered HTTP 402: Insufficient credits").build());
    provider.diagnosis = "the API key is valid and has $8.50 of $10.00 left";

    VerifyResult result = router.verify(Caller.anonymous(), List.of("qwen/a")).get(0);

    assertThat(result.reason()).startsWith("no credits: provider 'openrouter' answered HTTP 402")
        .endsWith("(diagnosis: the API key is valid and has $8.50 of $10.00 left)");
  }

  @Test
  void aRejectedKeyIsNamedEvenWhenTheProviderHasNoDiagnosis() {
    Router router = router(4);
    FakeProvider provider = factory.built.get("openrouter");
    provider.failures.add(FakeProvider.permanent("openrouter", 401));

    VerifyResult result = router.verify(Caller.anonymous(), List.of("qwen/a")).get(0);

    assertThat(result.reason()).isEqualTo("bad key: openrouter answered 401");
  }

  @Test
  void verifyAllChecksEveryEnabledModelOfEveryProvider() {
    Router router = router(4);

    List<VerifyResult> results = router.verifyAll(Caller.of("alice@example.com"));

    assertThat(results).extracting(VerifyResult::model)
        .containsExactly("openrouter/qwen/a", "openrouter/x-ai/b", "openrouter/google/c");
    assertThat(results).extracting(VerifyResult::ok).containsExactly(true, true, false);
  }

  @Test
  void runsChecksConcurrentlyButNeverMoreThanTheBound() throws Exception {
    Router router = router(2);
    FakeProvider provider = factory.built.get("openrouter");
    CountDownLatch gate = new CountDownLatch(1);
    provider.gate = gate;

    Thread release = new Thread(() -> {
      // Open the gate once two checks are waiting at it at the same time.
      while (provider.inFlight.get() < 2) Thread.onSpinWait();
      gate.countDown();
    });
    release.setDaemon(true);
    release.start();

    List<VerifyResult> results = router.verify(Caller.anonymous(),
        List.of("qwen/a", "openrouter/qwen/a", "qwen/a", "openrouter/qwen/a", "qwen/a"));

    assertThat(results).allSatisfy(r -> assertThat(r.ok()).isTrue());
    assertThat(provider.maxInFlight.get()).isEqualTo(2);
  }

  @Test
  void aCheckThatTimesOutCancelsItsCallAndSaysSo() {
    java.util.concurrent.CompletableFuture<ChatResponse> inFlight = pending;
    FakeProvider hanging = new FakeProvider("slow") {
      @Override
      public java.util.concurrent.CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
        return VerifyTest.this.pending;
      }
    };
    Router router = Router.builder().addProvider(hanging, List.of("m"))
        .verifyTimeout(java.time.Duration.ofMillis(50)).build();

    VerifyResult result = router.verify(Caller.anonymous(), List.of("m")).get(0);

    assertThat(result.ok()).isFalse();
    assertThat(result.reason()).isEqualTo("no answer within 50 ms");
    assertThat(inFlight.isCancelled()).isTrue();
  }

  @Test
  void aModelTheCallerMayNotUseIsReportedWithoutNamingItsProvider() {
    Router router = router(4);

    VerifyResult result = router.verify(Caller.anonymous(), List.of("google/c")).get(0);

    assertThat(result.ok()).isFalse();
    assertThat(result.providerId()).isNull();
  }
}
