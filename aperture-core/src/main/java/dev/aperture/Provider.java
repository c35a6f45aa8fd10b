package dev.aperture;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The SPI a provider author implements: one upstream that serves chat calls. Keep it to transport and wire
 * format; the {@link Router} owns access policy, routing, failover, quotas and hooks.
 *
 * <p>The Router hands a provider requests whose {@link ChatRequest#model()} is already the provider's own
 * model name (the provider prefix removed). Failures are thrown as {@link ProviderException}s.
 */
public interface Provider {
  /** The configured id, such as {@code openrouter}: the prefix of this provider's qualified model names. */
  String id();

  /** The API formats this provider's models can be called with. */
  Set<ApiFormat> apiFormats();

  /** Sends one chat call and waits for the whole response. */
  ChatResponse chat(ChatRequest request);

  /** Starts a streamed chat call. Returns once the response has begun (status and headers received). */
  ChatStream stream(ChatRequest request);

  /**
   * Sends one chat call without blocking the calling thread. The default runs {@link #chat} on the common
   * pool; providers with an asynchronous transport override it so no thread waits per call. Cancelling
   * the future should cancel the call.
   */
  default CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return CompletableFuture.supplyAsync(() -> chat(request));
  }

  /**
   * Sends an OpenAI Responses-API call. Only providers that list {@link ApiFormat#OPENAI_RESPONSES} in
   * {@link #apiFormats()} implement it; the Router never calls it on others.
   */
  default Map<String, @Nullable Object> responses(ResponsesRequest request) {
    throw new UnsupportedApiFormatException(id(), request.model(), ApiFormat.OPENAI_RESPONSES, apiFormats());
  }

  /**
   * Explains a failed verification in one line, if this provider can say more than the error did — for
   * example by checking the key or the model catalog. Returns null to keep the error's own message.
   * Called by {@link Router#verify} only after a check failed.
   */
  default @Nullable String diagnose(String model, ApertureException failure) {
    return null;
  }

  /**
   * The request parameters, besides {@code model}, whose values select the model that answers (such as
   * OpenRouter's {@code models} fallback list). The Router checks every model they name against the
   * caller's grants exactly like {@code model}, matching the keys case-insensitively, and refuses the call
   * otherwise. Empty by default.
   */
  default java.util.Set<String> modelSelectingParameters() {
    return java.util.Set.of();
  }

  /**
   * Looks up what a generation cost after the fact, in the provider's unit (dollars), for a stream the
   * caller closed before its usage arrived (OpenRouter: {@code GET /api/v1/generation?id=}). Completes
   * with null when the provider cannot say. Called off the caller's thread; must not block it.
   */
  default CompletableFuture<java.math.@Nullable BigDecimal> generationCost(String generationId) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The price of {@code model} (this provider's own name for it, or prefixed with its id) per token, for
   * estimating a call's cost before it is sent; null when unknown. Must not block: a provider that loads
   * its price list over the network returns null until it has it. Null by default.
   */
  default @Nullable ModelPricing pricing(String model) {
    return null;
  }
}
