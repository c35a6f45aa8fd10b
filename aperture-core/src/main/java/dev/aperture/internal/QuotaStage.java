package dev.aperture.internal;

import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Exchange;
import dev.aperture.Message;
import dev.aperture.ModelPricing;
import dev.aperture.Money;
import dev.aperture.Provider;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaExceededException;
import dev.aperture.Route;
import dev.aperture.Usage;
import dev.aperture.internal.quota.CostEstimator;
import dev.aperture.internal.quota.QuotaGate;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Aperture's quota rule, safe under concurrency: a call goes ahead only while every bucket its grants
 * name is positive after what calls in flight have reserved; it reserves its estimated cost on all of
 * them, and when it ends the reservation is settled to what it really cost (a stream: when it ends, or,
 * closed early, at the generation's cost looked up afterwards) or released if nothing was sent.
 * Refusal: {@link QuotaExceededException} with when to retry, before any provider is called.
 */
final class QuotaStage implements Stage {
  private static final System.Logger LOG = System.getLogger("dev.aperture.Router");
  private static final long GENERATION_COST_TIMEOUT_SECONDS = 60;

  private final QuotaGate gate;
  private final java.util.function.Function<String, @Nullable Provider> providers;
  private final CostEstimator estimator = new CostEstimator();

  /** {@code providers} finds a provider by id, for the cost of a stream closed early. */
  QuotaStage(QuotaGate gate, java.util.function.Function<String, @Nullable Provider> providers) {
    this.gate = gate;
    this.providers = providers;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    RealCall call = chain.call;
    List<QuotaBucket> buckets = call.decision.quotaBuckets();
    if (buckets.isEmpty()) return chain.proceed();
    Route route = Objects.requireNonNull(call.routes).get(0);
    String key = route.qualifiedName();
    long estimate = chain.chat != null ? estimate(key, route, chain.chat) : estimator.recentAverage(key);
    QuotaGate.Reservation reservation;
    try {
      reservation = gate.admit(buckets, estimate, call.requestId());
    } catch (QuotaExceededException e) {
      call.listener.quotaRejected(call, e);
      throw e;
    }
    return chain.proceed().handle((outcome, failure) -> {
      if (failure != null) {
        // Nothing was answered: a failed attempt costs nothing at OpenRouter.
        gate.release(reservation);
        throw new java.util.concurrent.CompletionException(RealCall.unwrap(failure));
      }
      Exchange exchange = outcome.exchange();
      if (exchange instanceof Exchange.Plain plain) {
        settle(reservation, key, plain.response().usage(), estimate);
      } else if (exchange instanceof Exchange.Streamed streamed) {
        TrackedChatStream stream = TrackedChatStream.of(streamed.stream());
        stream.whenDone(end -> settleStream(reservation, key, end, estimate, call));
        return Outcome.of(Exchange.of(stream));
      } else {
        gate.settle(reservation, estimate); // Responses API: no usage parsed; charge what was reserved.
      }
      return outcome;
    });
  }

  private long estimate(String key, Route route, ChatRequest request) {
    ModelPricing pricing = route.provider().pricing(route.model());
    CostEstimator.Price price = pricing == null ? null
        : new CostEstimator.Price(pricing.promptPerToken(), pricing.completionPerToken());
    Integer maxTokens = request.maxTokens();
    Object maxCompletion = request.parameter("max_completion_tokens");
    Long max = maxTokens != null ? Long.valueOf(maxTokens)
        : maxCompletion instanceof Number n ? Long.valueOf(n.longValue()) : null;
    return estimator.estimate(key, price, price == null ? 0 : promptTokens(request), max);
  }

  /** The prompt's size in tokens, roughly: characters / 4, plus a few per message (as CostEstimator counts). */
  static long promptTokens(ChatRequest request) {
    long chars = 0;
    for (Message message : request.messages()) chars += message.text().length();
    Object tools = request.parameter("tools");
    if (tools != null) chars += String.valueOf(tools).length();
    return (chars + 3) / 4 + 4L * request.messages().size() + 3;
  }

  private void settle(QuotaGate.Reservation reservation, String key, @Nullable Usage usage, long estimate) {
    BigDecimal cost = usage == null ? null : usage.cost();
    if (cost == null) {
      // The provider did not say: charge what was reserved rather than lose the charge.
      gate.settle(reservation, estimate);
      return;
    }
    long actual = Money.nanos(cost);
    gate.settle(reservation, actual);
    estimator.record(key, actual);
  }

  private void settleStream(QuotaGate.Reservation reservation, String key, TrackedChatStream.End end,
      long estimate, RealCall call) {
    ChatResponse response = end.response() != null ? end.response() : end.partial();
    if (response.usage() != null && response.usage().cost() != null) {
      settle(reservation, key, response.usage(), estimate);
      return;
    }
    String generationId = response.generationId();
    Provider provider = providers.apply(response.provider());
    if (generationId == null || provider == null) {
      gate.settle(reservation, estimate);
      return;
    }
    // Closed before its usage arrived: ask the provider what the generation cost, off the caller's thread.
    provider.generationCost(generationId)
        .orTimeout(GENERATION_COST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .whenComplete((dollars, failure) -> {
          if (failure == null && dollars != null) {
            long actual = Money.nanos(dollars);
            gate.settle(reservation, actual);
            estimator.record(key, actual);
          } else {
            LOG.log(Level.DEBUG, () -> "no cost for generation " + generationId + "; charging the estimate");
            gate.settle(reservation, estimate);
          }
        });
  }

  @Override
  public String toString() {
    return "QuotaStage";
  }

}
