package dev.aperture.redis.internal;

import dev.aperture.Money;
import dev.aperture.QuotaBucket;
import java.math.BigInteger;
import java.util.List;

/**
 * The five numbers a quota script gets for each bucket, computed exactly here so the script's doubles
 * never hold anything inexact.
 *
 * <p>{@link QuotaBucket#refillFor} adds {@code floor(rate × elapsedNanos / period)}. Redis {@code TIME}
 * counts microseconds, so elapsed nanoseconds are {@code 1000 × e}: the script computes
 * {@code floor(num × e / den)} with {@code num / den = rate × 1000 / periodNanos} in lowest terms,
 * passed as {@code qa = num / den} and {@code a = num mod den}. Its long multiplication keeps every
 * intermediate below {@code 2 × max(den, capacity) + qa}, so all three must be under 2^51 (doubles are
 * exact to 2^53): capacities up to $2,251,799 and any period that is a whole number of microseconds
 * up to 71 years.
 */
public final class BucketArgs {
  /** Every per-bucket number the script multiplies must stay under this. */
  public static final long LIMIT = 1L << 51;
  private static final BigInteger MICROS_IN_NANOS = BigInteger.valueOf(1000);

  private BucketArgs() {
  }

  /** Appends capacity, qa, a, den and msPerNano of {@code bucket}; throws when it cannot be exact. */
  public static void append(QuotaBucket bucket, List<String> args) {
    long[] exact = exact(bucket);
    args.add(Long.toString(exact[0]));
    args.add(Long.toString(exact[1]));
    args.add(Long.toString(exact[2]));
    args.add(Long.toString(exact[3]));
    args.add(Double.toString(msPerNano(bucket)));
  }

  /** {capacity, qa, a, den}. */
  public static long[] exact(QuotaBucket bucket) {
    if (bucket.capacityNanos() >= LIMIT) {
      throw new IllegalArgumentException("quota '" + bucket.name() + "': capacity "
          + Money.format(bucket.capacityNanos()) + " is above the " + Money.format(LIMIT - 1)
          + " the Redis quota store keeps exact");
    }
    if (bucket.rateNanos() == 0) return new long[] {bucket.capacityNanos(), 0, 0, 1};
    BigInteger num = BigInteger.valueOf(bucket.rateNanos()).multiply(MICROS_IN_NANOS);
    BigInteger den = BigInteger.valueOf(bucket.ratePeriod().toNanos());
    BigInteger gcd = num.gcd(den);
    num = num.divide(gcd);
    den = den.divide(gcd);
    BigInteger[] qa = num.divideAndRemainder(den);
    if (den.bitLength() > 51 || qa[0].bitLength() > 51) {
      throw new IllegalArgumentException("quota '" + bucket.name() + "': a rate of "
          + Money.format(bucket.rateNanos()) + " per " + bucket.ratePeriod()
          + " cannot be refilled exactly by the Redis quota store (use a period in whole microseconds,"
          + " at most 71 years)");
    }
    return new long[] {bucket.capacityNanos(), qa[0].longValueExact(), qa[1].longValueExact(), den.longValueExact()};
  }

  /**
   * Milliseconds per nanodollar of refill, approximately (only for key TTLs, which add a margin far
   * above its rounding error); -1 for a bucket that never refills and so must never expire.
   */
  public static double msPerNano(QuotaBucket bucket) {
    if (bucket.rateNanos() == 0) return -1;
    return bucket.ratePeriod().toNanos() / 1e6 / bucket.rateNanos();
  }
}
