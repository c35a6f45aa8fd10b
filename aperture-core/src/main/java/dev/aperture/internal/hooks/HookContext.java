package dev.aperture.internal.hooks;

import dev.aperture.CallOptions;
import dev.aperture.Caller;
import dev.aperture.QuotaBalance;
import dev.aperture.Usage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a hook may be sent about one call, from which {@link HookPayloads} builds the
 * {@code HookCallData} each hook gets (only the fields its {@code send} list asks for). Immutable: build
 * one before {@code pre_request}, then {@link #newBuilder()} it with the final request body and the
 * response for the post-response events.
 */
public final class HookContext {
  private final String requestId;
  private final Caller caller;
  private final CallOptions options;
  private final String model;
  private final String provider;
  private final Map<String, @Nullable Object> requestBody;
  private final @Nullable Map<String, @Nullable Object> responseBody;
  private final @Nullable List<@Nullable Object> rawResponses;
  private final List<ToolUse> toolCalls;
  private final Map<String, List<Object>> customCapabilities;
  private final @Nullable Cost estimatedCost;
  private final List<QuotaBalance> quotas;
  private final @Nullable BodyCheck bodyCheck;

  private HookContext(Builder builder) {
    this.requestId = Objects.requireNonNull(builder.requestId, "requestId == null");
    this.caller = builder.caller;
    this.options = builder.options;
    this.model = Objects.requireNonNull(builder.model, "model == null");
    this.provider = Objects.requireNonNull(builder.provider, "provider == null");
    this.requestBody = Objects.requireNonNull(builder.requestBody, "requestBody == null");
    this.responseBody = builder.responseBody;
    this.rawResponses = builder.rawResponses;
    this.toolCalls = builder.toolCalls;
    this.customCapabilities = builder.customCapabilities;
    this.estimatedCost = builder.estimatedCost;
    this.quotas = builder.quotas;
    this.bodyCheck = builder.bodyCheck;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder(this);
  }

  /** {@code metadata.request_id}. */
  public String requestId() {
    return requestId;
  }

  /** {@code login_name}, {@code stable_node_id}, {@code tailnet_name}. */
  public Caller caller() {
    return caller;
  }

  /** {@code user_agent}, {@code session_id}, {@code url}. */
  public CallOptions options() {
    return options;
  }

  /** {@code metadata.model}: the model the provider is asked for. */
  public String model() {
    return model;
  }

  /** {@code metadata.provider}: the configured provider's id. */
  public String provider() {
    return provider;
  }

  /** The request body as the provider is (or was) sent it: {@code request_body}, {@code user_message}. */
  public Map<String, @Nullable Object> requestBody() {
    return requestBody;
  }

  /** The whole response ({@code response_body}), a stream assembled; null before the response. */
  public @Nullable Map<String, @Nullable Object> responseBody() {
    return responseBody;
  }

  /**
   * The parsed data of each server-sent event ({@code raw_responses}), or null when the call did not
   * stream (hooks then get the response body as the one raw response).
   */
  public @Nullable List<@Nullable Object> rawResponses() {
    return rawResponses;
  }

  /** The response's tool calls ({@code tool_calls}); also what decides {@code tool_call_entire_request}. */
  public List<ToolUse> toolCalls() {
    return toolCalls;
  }

  /** Custom grant capabilities ({@code metadata.grants}). */
  public Map<String, List<Object>> customCapabilities() {
    return customCapabilities;
  }

  /** {@code metadata.estimated_cost}; null when unknown (the field is then left out). */
  public @Nullable Cost estimatedCost() {
    return estimatedCost;
  }

  /** The caller's quota buckets ({@code metadata.quotas}). */
  public List<QuotaBalance> quotas() {
    return quotas;
  }

  /** Validates a {@code modify} answer's body; null accepts any JSON object. */
  public @Nullable BodyCheck bodyCheck() {
    return bodyCheck;
  }

  /** Names the call, never the bodies. */
  @Override
  public String toString() {
    return "HookContext{" + requestId + ", " + provider + "/" + model + ", " + caller + "}";
  }

  /** Checks that a hook's replacement request body can be sent; throws to refuse it. */
  @FunctionalInterface
  public interface BodyCheck {
    /**
     * @throws RuntimeException (an {@code ApertureException} with a clear message, ideally) if
     *     {@code body} cannot be sent; its message must not quote the body
     */
    void check(Map<String, @Nullable Object> body);
  }

  /**
   * Aperture's {@code CostEstimate}: a cost in nanodollars (sent as {@code dollars}), its pricing basis
   * ({@code provider/model}) and token counts (zero counts are left out, as Aperture omits them).
   */
  public record Cost(long nanos, String costBasis, long inputTokens, long outputTokens, long cachedTokens,
      long reasoningTokens) {
    public Cost {
      Objects.requireNonNull(costBasis, "costBasis == null");
    }

    /** The cost of a completed call from its usage; {@code nanos} its cost (or the estimate). */
    public static Cost of(long nanos, String costBasis, @Nullable Usage usage) {
      if (usage == null) return new Cost(nanos, costBasis, 0, 0, 0, 0);
      return new Cost(nanos, costBasis, usage.promptTokens(), usage.completionTokens(), usage.cachedTokens(),
          usage.reasoningTokens());
    }
  }

  /** Builds a {@link HookContext}. */
  public static final class Builder {
    private @Nullable String requestId;
    private Caller caller = Caller.anonymous();
    private CallOptions options = CallOptions.defaults();
    private @Nullable String model;
    private String provider = "";
    private @Nullable Map<String, @Nullable Object> requestBody;
    private @Nullable Map<String, @Nullable Object> responseBody;
    private @Nullable List<@Nullable Object> rawResponses;
    private List<ToolUse> toolCalls = List.of();
    private Map<String, List<Object>> customCapabilities = Map.of();
    private @Nullable Cost estimatedCost;
    private List<QuotaBalance> quotas = List.of();
    private @Nullable BodyCheck bodyCheck;

    Builder() {
    }

    Builder(HookContext context) {
      requestId = context.requestId;
      caller = context.caller;
      options = context.options;
      model = context.model;
      provider = context.provider;
      requestBody = context.requestBody;
      responseBody = context.responseBody;
      rawResponses = context.rawResponses;
      toolCalls = context.toolCalls;
      customCapabilities = context.customCapabilities;
      estimatedCost = context.estimatedCost;
      quotas = context.quotas;
      bodyCheck = context.bodyCheck;
    }

    public Builder requestId(String requestId) {
      this.requestId = Objects.requireNonNull(requestId, "requestId == null");
      return this;
    }

    public Builder caller(Caller caller) {
      this.caller = Objects.requireNonNull(caller, "caller == null");
      return this;
    }

    public Builder options(CallOptions options) {
      this.options = Objects.requireNonNull(options, "options == null");
      return this;
    }

    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model == null");
      return this;
    }

    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider == null");
      return this;
    }

    /**
     * JSON-like values, handed over and not copied (nor wrapped, so the read-only maps the codec makes
     * reach hooks without a deep copy): {@link HookBodies#requestBody} makes one.
     */
    public Builder requestBody(Map<String, @Nullable Object> requestBody) {
      this.requestBody = Objects.requireNonNull(requestBody, "requestBody == null");
      return this;
    }

    /** JSON-like values, handed over like {@link #requestBody}: {@link HookBodies#responseBody} makes one. */
    public Builder responseBody(@Nullable Map<String, @Nullable Object> responseBody) {
      this.responseBody = responseBody;
      return this;
    }

    public Builder rawResponses(@Nullable List<@Nullable Object> rawResponses) {
      this.rawResponses = rawResponses != null ? Collections.unmodifiableList(new ArrayList<>(rawResponses)) : null;
      return this;
    }

    public Builder toolCalls(List<ToolUse> toolCalls) {
      this.toolCalls = List.copyOf(toolCalls);
      return this;
    }

    public Builder customCapabilities(Map<String, List<Object>> customCapabilities) {
      this.customCapabilities = Collections.unmodifiableMap(new LinkedHashMap<>(customCapabilities));
      return this;
    }

    public Builder estimatedCost(@Nullable Cost estimatedCost) {
      this.estimatedCost = estimatedCost;
      return this;
    }

    public Builder quotas(List<QuotaBalance> quotas) {
      this.quotas = List.copyOf(quotas);
      return this;
    }

    public Builder bodyCheck(@Nullable BodyCheck bodyCheck) {
      this.bodyCheck = bodyCheck;
      return this;
    }

    public HookContext build() {
      return new HookContext(this);
    }
  }
}
