package dev.aperture.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.ApiFormat;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Provider;
import dev.aperture.ProviderException;
import dev.aperture.QuotaExceededException;
import dev.aperture.RetryPolicy;
import dev.aperture.Router;
import dev.aperture.Usage;
import dev.aperture.config.ApertureConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Routers ("nodes") with their own Redis stores on one Redis: one budget and one set of cooldowns
 * for both, through the public API end to end.
 */
final class RouterOnRedisTest {
  private static final Caller ALICE = Caller.of("alice@example.com");
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable closeable : closeables) closeable.close();
  }

  /** Answers at $0.0004 a call; fails with a 503 while {@link #down}. */
  static final class CountingProvider implements Provider {
    final String id;
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;

    CountingProvider(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Set<ApiFormat> apiFormats() {
      return Set.of(ApiFormat.OPENAI_CHAT);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      calls.incrementAndGet();
      if (down) {
        throw ProviderException.builder(id).statusCode(503).message(id + " is down").retryable(true).build();
      }
      return ChatResponse.builder().id("gen-" + calls.get()).model(request.model()).provider(id)
          .addChoice(Choice.of(0, Message.assistant("ok"), FinishReason.STOP))
          .usage(Usage.builder().promptTokens(1).completionTokens(1).cost(new BigDecimal("0.0004")).build())
          .build();
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      throw new UnsupportedOperationException("not streamed here");
    }
  }

  private Router node(String namespace, CountingProvider primary, CountingProvider backup) {
    RedisQuotaStore quotas = RedisQuotaStore.builder().uri(RedisServer.sharedUrl()).namespace(namespace)
        .commandTimeout(Duration.ofSeconds(2)).build();
    RedisCooldownStore cooldowns = RedisCooldownStore.builder().uri(RedisServer.sharedUrl()).namespace(namespace)
        .commandTimeout(Duration.ofSeconds(2)).build();
    closeables.add(quotas);
    closeables.add(cooldowns);
    return Router.builder()
        .config(ApertureConfig.parse("""
            {"grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
                {"role": "user", "models": "**", "quotas": [{"bucket": "daily:<user>"}]}]}}],
             "quotas": {"daily:<user>": {"capacity": "$0.001", "rate": "$0.00/day"}}}
            """))
        .addProvider(primary, List.of("m")).addProvider(backup, List.of("m"))
        .retryPolicy(RetryPolicy.none()).cooldown(1, Duration.ofMinutes(5))
        .quotaStore(quotas).cooldownStore(cooldowns)
        .build();
  }

  @Test
  void twoNodesSpendOneBudgetAndSeeOneAnothersCooldowns() {
    String namespace = RedisServer.namespace();
    CountingProvider primaryA = new CountingProvider("primary");
    CountingProvider primaryB = new CountingProvider("primary");
    CountingProvider backup = new CountingProvider("backup");
    Router nodeA = node(namespace, primaryA, backup);
    Router nodeB = node(namespace, primaryB, backup);

    // $0.001 at $0.0004 a call: calls 1-3 are admitted (the third while $0.0002 is left), then refused,
    // whichever node they arrive at.
    nodeA.chat(ALICE, ChatRequest.of("m", "1"));
    nodeB.chat(ALICE, ChatRequest.of("m", "2"));
    nodeA.chat(ALICE, ChatRequest.of("m", "3"));
    assertThatThrownBy(() -> nodeB.chat(ALICE, ChatRequest.of("m", "4"))).isInstanceOf(QuotaExceededException.class);
    assertThat(nodeA.quotas(ALICE)).singleElement().satisfies(b -> assertThat(b.balanceNanos()).isEqualTo(-200_000));
    assertThat(nodeB.quotas(ALICE)).singleElement().satisfies(b -> assertThat(b.balanceNanos()).isEqualTo(-200_000));

    // A route that fails on node A cools down for node B too: B goes straight to the backup.
    nodeA.refill("daily:alice@example.com", 1_000_000);
    primaryA.down = true;
    assertThat(nodeA.chat(ALICE, ChatRequest.of("m", "5")).provider()).isEqualTo("backup");
    int before = primaryB.calls.get();
    assertThat(nodeB.chat(ALICE, ChatRequest.of("m", "6")).provider()).isEqualTo("backup");
    assertThat(primaryB.calls.get()).isEqualTo(before);
  }
}
