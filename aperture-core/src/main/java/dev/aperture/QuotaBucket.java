package dev.aperture;

import java.time.Duration;
import java.util.Objects;

/**
 * One quota bucket as a {@link QuotaStore} applies it: a balance of money that starts full at
 * {@code capacityNanos} and refills continuously by {@code rateNanos} per {@code ratePeriod}, up to
 * capacity. Amounts are integer nanodollars ($1 = 1,000,000,000).
 *
 * @param name the bucket's name with its templates expanded ({@code daily:alice@example.com})
 * @param definition the configured name it was expanded from ({@code daily:<user>})
 */
public record QuotaBucket(String name, String definition, long capacityNanos, long rateNanos,
    Duration ratePeriod) {
  /** What {@link #timeUntilPositive} answers for a bucket that never refills. */
  public static final Duration FOREVER = Duration.ofDays(365L * 100);

  public QuotaBucket {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(definition, "definition == null");
    Objects.requireNonNull(ratePeriod, "ratePeriod == null");
    if (capacityNanos < 0) throw new IllegalArgumentException("capacityNanos < 0");
    if (rateNanos < 0) throw new IllegalArgumentException("rateNanos < 0");
    if (ratePeriod.isNegative() || ratePeriod.isZero()) throw new IllegalArgumentException("ratePeriod must be positive");
  }

  /**
   * What {@code elapsedNanos} of refill adds, exactly: {@code rateNanos × elapsed / period}, rounded
   * down, computed without overflow or floating point.
   */
  public long refillFor(long elapsedNanos) {
    if (elapsedNanos <= 0 || rateNanos == 0) return 0;
    java.math.BigInteger added = java.math.BigInteger.valueOf(rateNanos)
        .multiply(java.math.BigInteger.valueOf(elapsedNanos))
        .divide(java.math.BigInteger.valueOf(ratePeriod.toNanos()));
    return added.min(java.math.BigInteger.valueOf(capacityNanos)).longValueExact();
  }

  /**
   * How long until a balance of {@code balanceNanos} (zero or below) refills to one nanodollar above
   * zero; {@link Duration#ZERO} when it is already positive. Long for a bucket that never refills.
   */
  public Duration timeUntilPositive(long balanceNanos) {
    if (balanceNanos > 0) return Duration.ZERO;
    if (rateNanos == 0 || capacityNanos == 0) return FOREVER;
    java.math.BigInteger needed = java.math.BigInteger.valueOf(1 - balanceNanos);
    java.math.BigInteger period = java.math.BigInteger.valueOf(ratePeriod.toNanos());
    java.math.BigInteger rate = java.math.BigInteger.valueOf(rateNanos);
    // ceil(needed * period / rate)
    java.math.BigInteger nanos = needed.multiply(period).add(rate).subtract(java.math.BigInteger.ONE).divide(rate);
    return nanos.bitLength() < 63 ? Duration.ofNanos(nanos.longValue()) : FOREVER;
  }

}
