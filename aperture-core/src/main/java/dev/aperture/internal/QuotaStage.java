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
  private static final long GENERATION_COST_TIMEOUT_SECONDS = 20;
  /** Lookups after the first, 1, 2, 4, 8 and 16 s apart: about half a minute for the cost to appear. */
  private static final int GENERATION_COST_RETRIES = 5;

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
        Long paid = call.refusedAnswerCostNanos;
        if (paid != null) {
          gate.settle(reservation, paid); // an answer arrived and was refused: the upstream charged it
        } else {
          gate.release(reservation); // nothing was answered: a failed attempt costs nothing at OpenRouter
        }
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
        settleResponses(reservation, key, outcome.responsesBody(), estimate);
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
    Long known = nanosOf(usage == null ? null : usage.cost());
    if (known == null) {
      // The provider did not say (or said nonsense): charge what was reserved rather than lose the charge.
      gate.settle(reservation, estimate);
      return;
    }
    long actual = known;
    gate.settle(reservation, actual);
    estimator.record(key, actual);
  }

  /** A Responses-API answer: its {@code usage.cost} if it reports one, else the estimate. */
  private void settleResponses(QuotaGate.Reservation reservation, String key,
      java.util.@Nullable Map<String, @Nullable Object> body, long estimate) {
    Object usage = body == null ? null : body.get("usage");
    Object cost = usage instanceof java.util.Map<?, ?> map ? map.get("cost") : null;
    Long actual = cost instanceof Number number ? nanosOf(new BigDecimal(number.toString())) : null;
    if (actual == null) {
      gate.settle(reservation, estimate);
    } else {
      gate.settle(reservation, actual);
      estimator.record(key, actual);
    }
  }

  /** {@code dollars} in nanodollars, or null for a cost no bucket can take (negative, or beyond a long). */
  static @Nullable Long nanosOf(@Nullable BigDecimal dollars) {
    if (dollars == null || dollars.signum() < 0) return null;
    try {
      return Money.nanos(dollars);
    } catch (ArithmeticException e) {
      return null;
    }
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
    // OpenRouter answers 404 for a few seconds after a generation ends, so ask again with backoff.
    lookUpCost(provider, generationId, reservation, key, estimate, call.pipeline, 0);
  }

  private void lookUpCost(Provider provider, String generationId, QuotaGate.Reservation reservation, String key,
      long estimate, Pipeline pipeline, int attempt) {
    provider.generationCost(generationId)
        .orTimeout(GENERATION_COST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .whenComplete((dollars, failure) -> {
          Long actual = failure == null ? nanosOf(dollars) : null;
          if (actual != null) {
            gate.settle(reservation, actual);
            estimator.record(key, actual);
          } else if (attempt < GENERATION_COST_RETRIES) {
            try {
              pipeline.scheduler().schedule(() -> lookUpCost(provider, generationId, reservation, key, estimate,
                  pipeline, attempt + 1), 1L << attempt, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
              gate.settle(reservation, estimate); // The Router is closing: charge what was reserved.
            }
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
