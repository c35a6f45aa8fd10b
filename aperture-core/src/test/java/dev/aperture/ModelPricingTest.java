package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

final class ModelPricingTest {
  @Test
  void estimatesExactlyInNanodollars() {
    // Qwen3 235B on OpenRouter: $0.078 and $0.312 per million tokens.
    ModelPricing pricing = ModelPricing.of(new BigDecimal("0.000000078"), new BigDecimal("0.000000312"));

    // 1000 * 78 + 500 * 312 nanodollars.
    assertThat(pricing.estimateNanos(1000, 500)).isEqualTo(78_000 + 156_000);
  }

  @Test
  void roundsAFractionOfANanodollarUp() {
    ModelPricing pricing = ModelPricing.of(new BigDecimal("0.0000000001"), BigDecimal.ZERO);

    assertThat(pricing.estimateNanos(1, 0)).isEqualTo(1);
    assertThat(pricing.estimateNanos(10, 0)).isEqualTo(1);
    assertThat(pricing.estimateNanos(11, 0)).isEqualTo(2);
    assertThat(pricing.estimateNanos(0, 0)).isZero();
  }

  @Test
  void saturatesInsteadOfOverflowing() {
    ModelPricing pricing = ModelPricing.of(new BigDecimal("1000"), new BigDecimal("1000"));

    assertThat(pricing.estimateNanos(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void rejectsNegativePricesAndCounts() {
    assertThatThrownBy(() -> ModelPricing.of(new BigDecimal("-1"), BigDecimal.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    ModelPricing pricing = ModelPricing.of(BigDecimal.ONE, BigDecimal.ONE);
    assertThatThrownBy(() -> pricing.estimateNanos(-1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalPricesCompareEqualWhateverTheirScale() {
    assertThat(ModelPricing.of(new BigDecimal("0.10"), new BigDecimal("0.2")))
        .isEqualTo(ModelPricing.of(new BigDecimal("0.1"), new BigDecimal("0.200")))
        .hasSameHashCodeAs(ModelPricing.of(new BigDecimal("0.1"), new BigDecimal("0.200")));
  }
}
