package dev.aperture;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a model costs per token, in exact US dollars, as a provider's price list says (OpenRouter's
 * {@code /api/v1/models} {@code pricing.prompt} and {@code pricing.completion}). The Router uses it to
 * estimate a call's cost before it is sent, so concurrent calls can reserve quota.
 *
 * <p>Immutable; {@link #of} rejects negative prices (OpenRouter lists {@code -1} for routers whose price
 * varies: treat those as unknown).
 */
public final class ModelPricing {
  private static final BigDecimal NANOS_PER_DOLLAR = BigDecimal.valueOf(Money.NANOS_PER_DOLLAR);
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private final BigDecimal promptPerToken;
  private final BigDecimal completionPerToken;

  private ModelPricing(BigDecimal promptPerToken, BigDecimal completionPerToken) {
    this.promptPerToken = promptPerToken;
    this.completionPerToken = completionPerToken;
  }

  /** Prices in dollars per prompt (input) token and per completion (output) token; neither negative. */
  public static ModelPricing of(BigDecimal promptPerToken, BigDecimal completionPerToken) {
    Objects.requireNonNull(promptPerToken, "promptPerToken == null");
    Objects.requireNonNull(completionPerToken, "completionPerToken == null");
    if (promptPerToken.signum() < 0 || completionPerToken.signum() < 0) {
      throw new IllegalArgumentException("negative price: prompt " + promptPerToken.toPlainString()
          + ", completion " + completionPerToken.toPlainString());
    }
    return new ModelPricing(promptPerToken, completionPerToken);
  }

  /** Dollars per prompt (input) token. */
  public BigDecimal promptPerToken() {
    return promptPerToken;
  }

  /** Dollars per completion (output) token. */
  public BigDecimal completionPerToken() {
    return completionPerToken;
  }

  /**
   * The cost of {@code promptTokens} in and {@code completionTokens} out, in nanodollars, rounded up
   * (an estimate used to reserve quota must not come out low); at most {@link Long#MAX_VALUE}.
   */
  public long estimateNanos(long promptTokens, long completionTokens) {
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("negative token count: " + promptTokens + ", " + completionTokens);
    }
    BigDecimal dollars = promptPerToken.multiply(BigDecimal.valueOf(promptTokens))
        .add(completionPerToken.multiply(BigDecimal.valueOf(completionTokens)));
    BigDecimal nanos = dollars.multiply(NANOS_PER_DOLLAR).setScale(0, RoundingMode.CEILING);
    return nanos.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : nanos.longValueExact();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ModelPricing that
        && promptPerToken.compareTo(that.promptPerToken) == 0
        && completionPerToken.compareTo(that.completionPerToken) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(promptPerToken.stripTrailingZeros(), completionPerToken.stripTrailingZeros());
  }

  @Override
  public String toString() {
    return "ModelPricing{prompt=$" + promptPerToken.toPlainString() + "/token, completion=$"
        + completionPerToken.toPlainString() + "/token}";
  }
}
