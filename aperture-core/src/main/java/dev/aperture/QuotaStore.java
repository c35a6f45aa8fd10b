package dev.aperture;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where quota balances live: in memory by default, or shared by every instance (the {@code aperture-redis}
 * module). Every operation is atomic across all the buckets it is given, and refills each bucket by the
 * time elapsed since it was last touched (on the store's own clock) before it acts.
 *
 * <p>Admission keeps Aperture's rule (every applicable bucket must be positive) and makes it safe under
 * concurrency: a call is admitted while every bucket's balance minus what calls in flight have reserved
 * is positive, and on admission reserves its estimated cost on every bucket. When the call ends the
 * reservation is {@linkplain #settle settled} to the actual cost, or {@linkplain #release released}.
 */
public interface QuotaStore {
  /**
   * Admits and reserves {@code estimateNanos} on every bucket, or refuses naming the first bucket that
   * is not positive (with the time until every refusing bucket is positive again). A reservation not
   * settled or released within {@code ttl} is expired: its holder is taken to have died mid-call, after
   * the provider most likely received the request, so the store charges the estimate to every bucket and
   * remembers that it did. A late {@link #settle} of an expired reservation then charges only
   * {@code actual − estimate}, and a late {@link #release} refunds the estimate.
   */
  Admission reserve(String reservationId, List<QuotaBucket> buckets, long estimateNanos, Duration ttl);

  /**
   * Charges {@code actualNanos} to every bucket of {@code reservation} (a balance may go below zero) and
   * drops the reservation. A reservation the store no longer knows is still charged: the money was spent.
   * Not idempotent: callers settle or release each reservation once.
   */
  void settle(Reservation reservation, long actualNanos);

  /** Drops the reservation without charging anything (the call failed or was refused). */
  void release(Reservation reservation);

  /** The current state of each bucket, refilled to now, in the order given. */
  List<QuotaBalance> balances(List<QuotaBucket> buckets);

  /** Adds {@code amountNanos} to the bucket, capped at its capacity, as Aperture's refill API does. */
  QuotaBalance refill(QuotaBucket bucket, long amountNanos);

  /** A reservation held by a call in flight. */
  record Reservation(String id, List<QuotaBucket> buckets, long estimateNanos) {
    public Reservation {
      Objects.requireNonNull(id, "id == null");
      buckets = List.copyOf(buckets);
    }
  }

  /** The answer to {@link #reserve}: admitted with a reservation, or refused by one bucket. */
  record Admission(@Nullable Reservation reservation, @Nullable QuotaBalance refusedBy, Duration retryAfter) {
    public Admission {
      Objects.requireNonNull(retryAfter, "retryAfter == null");
      if ((reservation == null) == (refusedBy == null)) {
        throw new IllegalArgumentException("exactly one of reservation and refusedBy");
      }
    }

    public static Admission admitted(Reservation reservation) {
      return new Admission(Objects.requireNonNull(reservation, "reservation == null"), null, Duration.ZERO);
    }

    public static Admission refused(QuotaBalance refusedBy, Duration retryAfter) {
      return new Admission(null, Objects.requireNonNull(refusedBy, "refusedBy == null"), retryAfter);
    }

    public boolean isAdmitted() {
      return reservation != null;
    }
  }
}
