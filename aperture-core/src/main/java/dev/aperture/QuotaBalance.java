package dev.aperture;

import java.util.Objects;

/**
 * A bucket's state as {@link Router#quotas} and hooks see it.
 *
 * @param bucket the bucket
 * @param balanceNanos the balance now, refilled to this moment, before in-flight reservations
 * @param reservedNanos what calls in flight have reserved and not yet settled
 */
public record QuotaBalance(QuotaBucket bucket, long balanceNanos, long reservedNanos) {
  public QuotaBalance {
    Objects.requireNonNull(bucket, "bucket == null");
  }

  /** The balance less what calls in flight have reserved: what admission checks. */
  public long availableNanos() {
    return balanceNanos - reservedNanos;
  }
}
