package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The call pipeline's retry, failover, cooldown and deadline rules, each run as a blocking, an
 * asynchronous and a streamed call, on a fake clock that moves only when the Router waits.
 */
class PipelineTest {
  private static final Caller ALICE = Caller.of("alice@example.com");

  enum Mode { SYNC, ASYNC, STREAM }

  private final FakeTime time = new FakeTime();
  private final FakeProvider primary = new FakeProvider("primary");
  private final FakeProvider backup = new FakeProvider("backup");
  private final RecordingListener events = new RecordingListener();

  private Router.Builder builder() {
    return Router.builder().clock(time).sleeper(time).addEventListener(events);
  }

  private Router twoRoutes() {
    return builder().addProvider(primary, List.of("m")).addProvider(backup, List.of("m")).build();
  }

  /** Runs one call in {@code mode}; returns the id of the provider that answered. */
  private static String call(Router router, Mode mode, ChatRequest request) {
    switch (mode) {
      case SYNC:
        return router.chat(ALICE, request).provider();
      case ASYNC:
        try {
          return router.chatAsync(ALICE, request).join().provider();
        } catch (CompletionException e) {
          throw (RuntimeException) e.getCause();
        }
      default:
        try (ChatStream stream = router.stream(ALICE, request)) {
          stream.response();
          return stream.provider();
        }
    }
  }

  private static ChatRequest request() {
    return ChatRequest.of("m", "hi");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retryableFailuresAreRetriedOnTheSameRouteWithBackoffAndExactlyNRequests(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).build();
    primary.failures.add(FakeProvider.retryable("primary", 503));
    primary.failures.add(FakeProvider.retryable("primary", 502));

    assertThat(call(router, mode, request())).isEqualTo("primary");

    assertThat(primary.requests).hasSize(3);
    assertThat(time.waits).hasSize(2);
    // 500 ms, then 1 s, each shortened by at most 20% jitter.
    assertThat(time.waits.get(0)).isBetween(Duration.ofMillis(400), Duration.ofMillis(500));
    assertThat(time.waits.get(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
    assertThat(events.kinds()).containsSubsequence("attemptFailed:1:RETRY", "attemptFailed:2:RETRY",
        "attemptEnd:3");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aServersRetryAfterIsHonouredInsteadOfTheBackoff(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).build();
    primary.failures.add(FakeProvider.retryable("primary", 429, Duration.ofSeconds(7)));

    call(router, mode, request());

    assertThat(primary.requests).hasSize(2);
    assertThat(time.waits).containsExactly(Duration.ofSeconds(7));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withRetriesOffExactlyOneRequestIsSentPerRoute(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).retryPolicy(RetryPolicy.none()).build();
    primary.failures.add(FakeProvider.retryable("primary", 503));

    assertThatThrownBy(() -> call(router, mode, request()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
    assertThat(primary.requests).hasSize(1);
    assertThat(time.waits).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theRetryBudgetIsPerRouteThenTheCallFailsOver(Mode mode) {
    Router router = twoRoutes();
    for (int i = 0; i < 3; i++) primary.failures.add(FakeProvider.retryable("primary", 500));

    assertThat(call(router, mode, request())).isEqualTo("backup");

    assertThat(primary.requests).hasSize(3);
    assertThat(backup.requests).hasSize(1);
    assertThat(events.kinds()).containsSubsequence("attemptFailed:1:RETRY", "attemptFailed:2:RETRY",
        "attemptFailed:3:FAIL_OVER", "attemptStart:4:backup/m", "attemptEnd:4");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aBadRequestIsNeitherRetriedNorFailedOver(Mode mode) {
    Router router = twoRoutes();
    primary.failures.add(FakeProvider.permanent("primary", 400));

    assertThatThrownBy(() -> call(router, mode, request()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(primary.requests).hasSize(1);
    assertThat(backup.requests).isEmpty();
    assertThat(events.kinds()).contains("attemptFailed:1:GIVE_UP").endsWith("callFailed");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryAfterLongerThanThePolicyAllowsIsNotWaitedForTheCallFailsOver(Mode mode) {
    Router router = twoRoutes();
    primary.failures.add(FakeProvider.retryable("primary", 429, Duration.ofMinutes(5)));

    assertThat(call(router, mode, request())).isEqualTo("backup");
    assertThat(time.waits).isEmpty();
    assertThat(primary.requests).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void oneDeadlineCoversEveryAttemptAndFallback(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).addProvider(backup, List.of("m"))
        .callTimeout(Duration.ofSeconds(2)).build();
    // Each failed attempt on the primary takes 800 ms: after the first retry the deadline has passed.
    primary.failWhen = r -> {
      time.advance(Duration.ofMillis(800));
      return FakeProvider.retryable("primary", 503, Duration.ZERO);
    };

    assertThatThrownBy(() -> call(router, mode, request()))
        .isInstanceOfSatisfying(CallTimeoutException.class, e -> {
          assertThat(e.attempts()).containsExactly("primary/m", "primary/m", "primary/m");
          assertThat(e.getMessage()).contains("3 attempts").contains("primary/m");
        });
    assertThat(backup.requests).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryWhoseWaitWouldPassTheDeadlineEndsTheCallAsATimeout(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).callTimeout(Duration.ofSeconds(5)).build();
    primary.failures.add(FakeProvider.retryable("primary", 429, Duration.ofSeconds(30)));

    assertThatThrownBy(() -> call(router, mode, request()))
        .isInstanceOfSatisfying(CallTimeoutException.class, e -> {
          assertThat(e.attempts()).containsExactly("primary/m");
          assertThat(e.getCause()).isInstanceOf(ProviderException.class);
        });
    assertThat(time.waits).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theProviderIsToldHowMuchOfTheDeadlineIsLeft(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).callTimeout(Duration.ofSeconds(10)).build();
    primary.failures.add(FakeProvider.retryable("primary", 503, Duration.ofSeconds(4)));

    call(router, mode, request());

    assertThat(primary.requests.get(0).timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(primary.requests.get(1).timeout()).isEqualTo(Duration.ofSeconds(6));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRouteThatKeepsFailingCoolsDownIsSkippedThenProbedOnce(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).addProvider(backup, List.of("m"))
        .retryPolicy(RetryPolicy.none()).cooldown(3, Duration.ofSeconds(30)).build();
    primary.failWhen = r -> FakeProvider.retryable("primary", 502);

    for (int i = 0; i < 3; i++) assertThat(call(router, mode, request())).isEqualTo("backup");
    assertThat(primary.requests).hasSize(3);

    // Cooling: the primary is not even tried.
    assertThat(call(router, mode, request())).isEqualTo("backup");
    assertThat(primary.requests).hasSize(3);

    // Cooled down: one call probes it; it still fails, so it cools again at once.
    time.advance(Duration.ofSeconds(31));
    assertThat(call(router, mode, request())).isEqualTo("backup");
    assertThat(primary.requests).hasSize(4);
    assertThat(call(router, mode, request())).isEqualTo("backup");
    assertThat(primary.requests).hasSize(4);

    // It recovers: the next probe succeeds and clears it.
    primary.failWhen = null;
    time.advance(Duration.ofSeconds(31));
    assertThat(call(router, mode, request())).isEqualTo("primary");
    assertThat(call(router, mode, request())).isEqualTo("primary");
    assertThat(primary.requests).hasSize(6);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRateLimitWithRetryAfterCoolsTheRouteAtOnceForThatLong(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).addProvider(backup, List.of("m"))
        .retryPolicy(RetryPolicy.none()).build();
    primary.failures.add(FakeProvider.retryable("primary", 429, Duration.ofSeconds(90)));

    assertThat(call(router, mode, request())).isEqualTo("backup");
    time.advance(Duration.ofSeconds(60));
    assertThat(call(router, mode, request())).isEqualTo("backup");
    assertThat(primary.requests).hasSize(1);
    time.advance(Duration.ofSeconds(31));
    assertThat(call(router, mode, request())).isEqualTo("primary");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCooledRouteIsUsedAnywayWhenItIsTheOnlyOne(Mode mode) {
    Router router = builder().addProvider(primary, List.of("m")).retryPolicy(RetryPolicy.none())
        .cooldown(1, Duration.ofMinutes(10)).build();
    primary.failures.add(FakeProvider.retryable("primary", 503));

    assertThatThrownBy(() -> call(router, mode, request())).isInstanceOf(ProviderException.class);
    assertThat(call(router, mode, request())).isEqualTo("primary");
  }

  @Test
  void aStreamFailsOverUntilItsFirstContentButKeepAlivesAndRoleOnlyDeltasDoNotCommitIt() {
    Router router = twoRoutes();
    primary.streamScript = List.of(roleOnly(), emptyChunk(), new IOException("connection reset"));

    try (ChatStream stream = router.stream(ALICE, request())) {
      assertThat(stream.provider()).isEqualTo("backup");
      assertThat(stream.response().text()).isEqualTo("Hello");
    }
    assertThat(primary.requests).hasSize(3); // the cut is retried on the same route first
    assertThat(events.kinds()).contains("firstChunk:backup/m");
  }

  @Test
  void afterItsFirstContentAStreamNeverFailsOverAndKeepsWhatItReceived() {
    Router router = twoRoutes();
    primary.streamScript = List.of(roleOnly(), FakeProvider.chunk("Hel", null), new IOException("reset"));

    ChatStream stream = router.stream(ALICE, request());
    List<String> texts = new ArrayList<>();
    assertThatThrownBy(() -> {
      for (ChatChunk chunk : stream) texts.add(chunk.text());
    }).isInstanceOfSatisfying(StreamException.class, e -> assertThat(e.partialText()).isEqualTo("Hel"));
    assertThat(texts).containsExactly("", "Hel");
    assertThat(backup.requests).isEmpty();
    assertThat(events.kinds()).containsSubsequence("firstChunk:primary/m", "callFailed");
  }

  @Test
  void theWaitForAStreamsFirstContentIsBoundedByTheDeadline() {
    CountDownLatch cancelled = new CountDownLatch(1);
    Provider silent = new FakeProvider("silent") {
      @Override
      public ChatStream stream(ChatRequest request) {
        requests.add(request);
        return ChatStream.of(id, new ChunkSource() {
          @Override
          public ChatChunk next() throws IOException {
            try {
              cancelled.await(10, TimeUnit.SECONDS); // a model that thinks for a long time
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            throw new IOException("canceled");
          }

          @Override
          public boolean sawEndMarker() {
            return false;
          }

          @Override
          public void cancel() {
            cancelled.countDown();
          }
        });
      }
    };
    Router router = Router.builder().addProvider(silent, List.of("m")).callTimeout(Duration.ofMillis(150))
        .addEventListener(events).build();

    assertThatThrownBy(() -> router.stream(ALICE, request()))
        .isInstanceOfSatisfying(CallTimeoutException.class,
            e -> assertThat(e.attempts()).containsExactly("silent/m"));
    assertThat(cancelled.getCount()).isZero();
  }

  @Test
  void cancellingAnAsyncCallStopsItsRetries() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Router router = builder().addProvider(primary, List.of("m")).build();
    primary.failWhen = r -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return FakeProvider.retryable("primary", 503);
    };

    var future = router.chatAsync(ALICE, request());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    future.cancel(true);
    release.countDown();

    assertThat(future).isCancelled();
    // The attempt in flight ends on the common pool; had a retry followed, it would run there too.
    assertThat(java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS)).isTrue();
    assertThat(primary.requests).hasSize(1);
  }

  @Test
  void aCancelledAsyncCallIsReportedAsCanceledToListeners() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Router router = builder().addProvider(primary, List.of("m")).build();
    primary.failWhen = r -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    };

    var future = router.chatAsync(ALICE, request());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    future.cancel(true);
    release.countDown();

    assertThat(java.util.concurrent.ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS)).isTrue();
    assertThat(events.kinds()).last().isEqualTo("callFailed");
    assertThat(events.failures).singleElement().isInstanceOf(CallCanceledException.class);
  }

  @Test
  void aRetryCutByTheDeadlineOnOneRouteDoesNotTurnTheNextRoutesOwnErrorIntoATimeout() {
    Router router = builder().addProvider(primary, List.of("m")).addProvider(backup, List.of("m"))
        .callTimeout(Duration.ofSeconds(3)).build();
    primary.failures.add(FakeProvider.retryable("primary", 503, Duration.ofSeconds(5)));
    backup.failures.add(FakeProvider.permanent("backup", 400));

    assertThatThrownBy(() -> router.chat(ALICE, request()))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
        .isNotInstanceOf(CallTimeoutException.class);
  }

  @Test
  void aProbeIsClaimedOnlyWhenItsRouteIsReallyTried() {
    Router router = builder().addProvider(primary, List.of("m")).addProvider(backup, List.of("m"))
        .retryPolicy(RetryPolicy.none()).cooldown(1, Duration.ofSeconds(30)).build();
    // Both routes fail once and cool down.
    primary.failures.add(FakeProvider.retryable("primary", 503));
    backup.failures.add(FakeProvider.retryable("backup", 503));
    assertThatThrownBy(() -> router.chat(ALICE, request())).isInstanceOf(ProviderException.class);
    time.advance(Duration.ofSeconds(31));
    // Both need a probe; the primary's succeeds, so the backup's must not be used up.
    assertThat(router.chat(ALICE, request()).provider()).isEqualTo("primary");
    primary.failures.add(FakeProvider.retryable("primary", 503));
    assertThat(router.chat(ALICE, request()).provider()).isEqualTo("backup");
  }

  @Test
  void eventsOfAPlainCallArriveInOrder() {
    Router router = twoRoutes();

    router.chat(ALICE, request());

    assertThat(events.kinds()).containsExactly("callStart", "routeChosen:primary/m,backup/m",
        "attemptStart:1:primary/m", "attemptEnd:1", "callEnd");
  }

  @Test
  void eventsOfAStreamIncludeTheFirstChunkAndTheEndAfterTheLastChunk() {
    Router router = twoRoutes();

    try (ChatStream stream = router.stream(ALICE, request())) {
      assertThat(events.kinds()).doesNotContain("callEnd");
      stream.response();
    }

    assertThat(events.kinds()).containsExactly("callStart", "routeChosen:primary/m,backup/m",
        "attemptStart:1:primary/m", "firstChunk:primary/m", "attemptEnd:1", "callEnd");
  }

  @Test
  void aStreamClosedBeforeItsEndIsReportedAsCanceled() {
    Router router = twoRoutes();
    primary.streamScript = List.of(FakeProvider.chunk("a", null), FakeProvider.chunk("b", null),
        FakeProvider.chunk("c", FinishReason.STOP));

    ChatStream stream = router.stream(ALICE, request());
    stream.iterator().next();
    stream.close();

    assertThat(events.kinds()).last().isEqualTo("callFailed");
    assertThat(events.failures).last().isInstanceOf(CallCanceledException.class);
  }

  private static ChatChunk roleOnly() {
    return ChatChunk.builder().id("gen-s").model("").created(1L)
        .addChoice(ChatChunk.Choice.of(0, ChatChunk.Delta.builder().role(Role.ASSISTANT).build(), null))
        .build();
  }

  private static ChatChunk emptyChunk() {
    return ChatChunk.builder().id("gen-s").model("").created(1L).build();
  }

  /** Records every event as a short string, in order. */
  static final class RecordingListener extends EventListener {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final List<ApertureException> failures = Collections.synchronizedList(new ArrayList<>());

    List<String> kinds() {
      synchronized (log) {
        return List.copyOf(log);
      }
    }

    @Override
    public void callStart(Call call) {
      log.add("callStart");
    }

    @Override
    public void routeChosen(Call call, List<Route> routes, AccessDecision decision) {
      log.add("routeChosen:" + String.join(",", routes.stream().map(Route::qualifiedName).toList()));
    }

    @Override
    public void attemptStart(Call call, Route route, int attempt) {
      log.add("attemptStart:" + attempt + ":" + route.qualifiedName());
    }

    @Override
    public void attemptEnd(Call call, Route route, int attempt) {
      log.add("attemptEnd:" + attempt);
    }

    @Override
    public void attemptFailed(Call call, Route route, int attempt, ApertureException failure,
        AttemptOutcome outcome) {
      log.add("attemptFailed:" + attempt + ":" + outcome.kind());
    }

    @Override
    public void firstChunk(Call call, Route route) {
      log.add("firstChunk:" + route.qualifiedName());
    }

    @Override
    public void callEnd(Call call, ChatResponse response, long costNanos) {
      log.add("callEnd");
    }

    @Override
    public void callFailed(Call call, ApertureException failure) {
      log.add("callFailed");
      failures.add(failure);
    }

    @Override
    public void quotaRejected(Call call, QuotaExceededException refusal) {
      log.add("quotaRejected:" + refusal.bucket());
    }

    @Override
    public void hookBlocked(Call call, String hook, int statusCode, String message) {
      log.add("hookBlocked:" + hook + ":" + statusCode);
    }
  }
}
