package dev.aperture.internal.quota;

import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaExceededException;
import dev.aperture.QuotaStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Quota admission as the call pipeline uses it: {@link #admit} before the provider is called,
 * then exactly one of {@link #settle} (the call ended and cost this much) or {@link #release} (it cost
 * nothing: refused, failed before the provider, cancelled with no cost).
 *
 * <p>A call is admitted while every bucket's balance less what calls in flight have reserved is positive
 * (Aperture's "every bucket positive", made safe under concurrency), and reserves its estimated cost on
 * each. Sequential calls behave exactly as in Aperture: with nothing in flight the check is Aperture's.
 * Concurrent calls can take a bucket below zero only by the estimates' error: see {@link CostEstimator}.
 * A bucket of capacity {@code $0.00} is never positive, so it refuses every call.
 *
 * <p>Settle and release are idempotent, and the first one wins: a reservation settled twice is charged
 * once, a release after a settle changes nothing, and a settle after a release charges nothing (a
 * release says the call cost nothing; a call whose cost arrives late, such as a cancelled stream whose
 * generation cost is fetched afterwards, must be settled, not released). Thread-safe.
 */
public final class QuotaGate {
  /** How long a reservation may be held before the store takes its holder for dead. */
  public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofMinutes(15);

  private final QuotaStore store;
  private final Duration reservationTtl;

  /**
   * @param store where balances live
   * @param reservationTtl how long a reservation may be held; make it longer than the longest call
   *     (a stream included), since an expired reservation is charged its estimate
   */
  public QuotaGate(QuotaStore store, Duration reservationTtl) {
    this.store = Objects.requireNonNull(store, "store == null");
    Objects.requireNonNull(reservationTtl, "reservationTtl == null");
    if (reservationTtl.isNegative() || reservationTtl.isZero()) {
      throw new IllegalArgumentException("reservationTtl must be positive");
    }
    this.reservationTtl = reservationTtl;
  }

  /** A gate on an {@link InMemoryQuotaStore} on {@code clock}, with the default reservation ttl. */
  public static QuotaGate inMemory(Clock clock) {
    return new QuotaGate(new InMemoryQuotaStore(clock), DEFAULT_RESERVATION_TTL);
  }

  public QuotaStore store() {
    return store;
  }

  /**
   * Admits the call and reserves {@code estimateNanos} on every bucket, or refuses it. With no buckets,
   * admits without touching the store.
   *
   * @param buckets the call's buckets, templates expanded
   * @param estimateNanos the call's estimated cost ({@link CostEstimator}); zero or more
   * @param requestId the call's id, to name the reservation (a random suffix keeps ids unique even
   *     when callers reuse request ids)
   * @throws QuotaExceededException naming the first bucket that is not positive, with the time until
   *     every refusing bucket is positive again
   */
  public Reservation admit(List<QuotaBucket> buckets, long estimateNanos, String requestId) {
    Objects.requireNonNull(requestId, "requestId == null");
    if (estimateNanos < 0) throw new IllegalArgumentException("estimateNanos < 0: " + estimateNanos);
    if (buckets.isEmpty()) return new Reservation(null, List.of(), estimateNanos);
    // Random, not a per-JVM counter: nodes sharing a store (Redis) with a caller-chosen request id must
    // never produce the same reservation id.
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    String id = requestId + "#" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    QuotaStore.Admission admission = store.reserve(id, buckets, estimateNanos, reservationTtl);
    QuotaBalance refusedBy = admission.refusedBy();
    if (refusedBy != null) {
      throw new QuotaExceededException(refusedBy.bucket().name(), refusedBy.availableNanos(),
          admission.retryAfter());
    }
    QuotaStore.Reservation held = Objects.requireNonNull(admission.reservation());
    return new Reservation(held, held.buckets(), estimateNanos);
  }

  /**
   * Charges {@code actualNanos} to every bucket of the reservation (possibly taking a balance below zero)
   * and drops the reservation. Does nothing if the reservation was settled or released already.
   *
   * @return true if this call charged, false if an earlier settle or release had ended the reservation
   */
  public boolean settle(Reservation reservation, long actualNanos) {
    if (actualNanos < 0) throw new IllegalArgumentException("actualNanos < 0: " + actualNanos);
    if (!reservation.end(Reservation.SETTLED)) return false;
    QuotaStore.Reservation held = reservation.held;
    if (held != null) store.settle(held, actualNanos);
    return true;
  }

  /**
   * Drops the reservation without charging. Does nothing if it was settled or released already.
   *
   * @return true if this call released it
   */
  public boolean release(Reservation reservation) {
    if (!reservation.end(Reservation.RELEASED)) return false;
    QuotaStore.Reservation held = reservation.held;
    if (held != null) store.release(held);
    return true;
  }

  /** Each bucket's balance, in-flight reservations, capacity and rate, refilled to now. */
  public List<QuotaBalance> balances(List<QuotaBucket> buckets) {
    if (buckets.isEmpty()) return List.of();
    return store.balances(buckets);
  }

  /** Adds {@code amountNanos} to the bucket, capped at its capacity. */
  public QuotaBalance refill(QuotaBucket bucket, long amountNanos) {
    return store.refill(bucket, amountNanos);
  }

  /** One admitted call's hold on its buckets; ends once, by a settle or a release. */
  public static final class Reservation {
    static final int OPEN = 0;
    static final int SETTLED = 1;
    static final int RELEASED = 2;

    private final QuotaStore.@Nullable Reservation held;
    private final List<QuotaBucket> buckets;
    private final long estimateNanos;
    private final AtomicInteger state = new AtomicInteger(OPEN);

    Reservation(QuotaStore.@Nullable Reservation held, List<QuotaBucket> buckets, long estimateNanos) {
      this.held = held;
      this.buckets = List.copyOf(buckets);
      this.estimateNanos = estimateNanos;
    }

    /** The buckets held, without repeats; empty when the call has no quotas. */
    public List<QuotaBucket> buckets() {
      return buckets;
    }

    /** What was reserved on each bucket. */
    public long estimateNanos() {
      return estimateNanos;
    }

    /** The store's reservation id, or null when nothing was held. */
    public @Nullable String id() {
      return held != null ? held.id() : null;
    }

    /** True until settled or released. */
    public boolean isOpen() {
      return state.get() == OPEN;
    }

    /** True if settled (charged). */
    public boolean isSettled() {
      return state.get() == SETTLED;
    }

    private boolean end(int how) {
      return state.compareAndSet(OPEN, how);
    }

    @Override
    public String toString() {
      String status = switch (state.get()) {
        case OPEN -> "open";
        case SETTLED -> "settled";
        default -> "released";
      };
      return "Reservation{" + (held != null ? held.id() : "none") + ", " + status + ", estimate="
          + estimateNanos + ", buckets=" + buckets.size() + "}";
    }
  }
}
