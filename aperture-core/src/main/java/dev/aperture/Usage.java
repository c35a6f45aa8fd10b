package dev.aperture;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Token counts and cost of one call. Immutable; build one with {@link #builder()} (or {@link #of}) and
 * change a copy with {@link #newBuilder()}.
 */
public final class Usage {
  private final long promptTokens;
  private final long completionTokens;
  private final long totalTokens;
  private final @Nullable BigDecimal cost;
  private final long cachedTokens;
  private final long reasoningTokens;
  private final Map<String, @Nullable Object> extra;

  private Usage(Builder builder) {
    this.promptTokens = builder.promptTokens;
    this.completionTokens = builder.completionTokens;
    this.totalTokens = builder.totalTokens != null ? builder.totalTokens
        : builder.promptTokens + builder.completionTokens;
    this.cost = builder.cost;
    this.cachedTokens = builder.cachedTokens;
    this.reasoningTokens = builder.reasoningTokens;
    this.extra = JsonValues.copyOfObject(builder.extra, "usage");
  }

  /** A usage of {@code promptTokens} in and {@code completionTokens} out, with no cost. */
  public static Usage of(long promptTokens, long completionTokens) {
    return builder().promptTokens(promptTokens).completionTokens(completionTokens).build();
  }

  /** A builder with every count 0 and no cost. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this usage's values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** {@code prompt_tokens}. */
  public long promptTokens() {
    return promptTokens;
  }

  /** {@code completion_tokens}. */
  public long completionTokens() {
    return completionTokens;
  }

  /** {@code total_tokens}, as the provider reported it (the sum of the two when built without it). */
  public long totalTokens() {
    return totalTokens;
  }

  /**
   * What the call cost in the provider's unit (OpenRouter: credits, in US dollars), or null if the
   * provider did not say. Convert with {@link Money#nanos}.
   */
  public @Nullable BigDecimal cost() {
    return cost;
  }

  /** {@code prompt_tokens_details.cached_tokens}, 0 when absent. */
  public long cachedTokens() {
    return cachedTokens;
  }

  /** {@code completion_tokens_details.reasoning_tokens}, 0 when absent. */
  public long reasoningTokens() {
    return reasoningTokens;
  }

  /** Every other usage field as JSON-like values, including the full {@code *_details} objects. */
  public Map<String, @Nullable Object> extra() {
    return extra;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Usage that
        && promptTokens == that.promptTokens
        && completionTokens == that.completionTokens
        && totalTokens == that.totalTokens
        && Objects.equals(cost, that.cost)
        && cachedTokens == that.cachedTokens
        && reasoningTokens == that.reasoningTokens
        && extra.equals(that.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(promptTokens, completionTokens, totalTokens, cost, cachedTokens, reasoningTokens,
        extra);
  }

  @Override
  public String toString() {
    return "Usage{promptTokens=" + promptTokens + ", completionTokens=" + completionTokens
        + ", totalTokens=" + totalTokens
        + (cost != null ? ", cost=" + cost.toPlainString() : "")
        + (cachedTokens != 0 ? ", cachedTokens=" + cachedTokens : "")
        + (reasoningTokens != 0 ? ", reasoningTokens=" + reasoningTokens : "")
        + (extra.isEmpty() ? "" : ", extra=" + extra.keySet()) + "}";
  }

  /** Builds a {@link Usage}. */
  public static final class Builder {
    private long promptTokens;
    private long completionTokens;
    private @Nullable Long totalTokens;
    private @Nullable BigDecimal cost;
    private long cachedTokens;
    private long reasoningTokens;
    private Map<String, ? extends @Nullable Object> extra = Map.of();

    Builder() {
    }

    Builder(Usage usage) {
      this.promptTokens = usage.promptTokens;
      this.completionTokens = usage.completionTokens;
      this.totalTokens = usage.totalTokens;
      this.cost = usage.cost;
      this.cachedTokens = usage.cachedTokens;
      this.reasoningTokens = usage.reasoningTokens;
      this.extra = usage.extra;
    }

    /** Sets {@code prompt_tokens}. */
    public Builder promptTokens(long promptTokens) {
      this.promptTokens = promptTokens;
      return this;
    }

    /** Sets {@code completion_tokens}. */
    public Builder completionTokens(long completionTokens) {
      this.completionTokens = completionTokens;
      return this;
    }

    /** Sets {@code total_tokens}; left unset, it is the sum of prompt and completion tokens. */
    public Builder totalTokens(long totalTokens) {
      this.totalTokens = totalTokens;
      return this;
    }

    /** Sets the cost in the provider's unit (dollars for OpenRouter), or null when unknown. */
    public Builder cost(@Nullable BigDecimal cost) {
      this.cost = cost;
      return this;
    }

    /** Sets {@code prompt_tokens_details.cached_tokens}. */
    public Builder cachedTokens(long cachedTokens) {
      this.cachedTokens = cachedTokens;
      return this;
    }

    /** Sets {@code completion_tokens_details.reasoning_tokens}. */
    public Builder reasoningTokens(long reasoningTokens) {
      this.reasoningTokens = reasoningTokens;
      return this;
    }

    /** Sets the other usage fields, as JSON-like values (copied). */
    public Builder extra(Map<String, ? extends @Nullable Object> extra) {
      this.extra = Objects.requireNonNull(extra, "extra == null");
      return this;
    }

    /** Builds the usage. */
    public Usage build() {
      return new Usage(this);
    }
  }
}
