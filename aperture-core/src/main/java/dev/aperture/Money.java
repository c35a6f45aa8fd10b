package dev.aperture;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Money as Aperture counts it: integer nanodollars ($1 = 1,000,000,000), never floating point.
 */
public final class Money {
  /** Nanodollars in one dollar. */
  public static final long NANOS_PER_DOLLAR = 1_000_000_000L;

  private Money() {
  }

  /**
   * {@code dollars} in nanodollars, rounded half up to the nanodollar; null gives 0. A provider's cost
   * (OpenRouter's {@code usage.cost}) is converted with this.
   */
  public static long nanos(@Nullable BigDecimal dollars) {
    if (dollars == null) return 0;
    return dollars.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  /** {@code $1.234567891}, trailing zeros cut to cents: {@code $10.00}, {@code -$0.000125}. */
  public static String format(long nanos) {
    BigDecimal dollars = BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
    if (dollars.scale() < 2) dollars = dollars.setScale(2, RoundingMode.UNNECESSARY);
    String text = dollars.abs().toPlainString();
    return (nanos < 0 ? "-$" : "$") + text;
  }

  static String formatDuration(Duration duration) {
    long seconds = duration.toSeconds();
    if (duration.toNanos() % 1_000_000_000L != 0) seconds++;
    if (seconds < 120) return seconds + " s";
    if (seconds < 7200) return (seconds / 60) + " min";
    return (seconds / 3600) + " h";
  }
}
