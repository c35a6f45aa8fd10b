package dev.aperture.internal.quota;

import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaStore;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The default {@link QuotaStore}: balances in this process's memory, on an injected clock.
 *
 * <h2>Buckets</h2>
 * A bucket's state is created the first time a call names it, full at its capacity. It refills
 * continuously at its rate up to capacity: the balance gains {@code floor(rate × t / period)} over any
 * span {@code t} in which it is below capacity, computed from the moment it was last full (or last
 * redefined), so the result is exact in integer nanodollars and does not depend on how often the bucket is
 * touched. Time spent full earns nothing. When a bucket's definition changes (a reloaded configuration
 * lowers its capacity, say), its balance is capped at the new capacity and refills at the new rate from
 * then on, as Aperture does on reload.
 *
 * <h2>Atomicity</h2>
 * One lock guards every bucket and reservation, so each operation is atomic across all the buckets it is
 * given and there is no lock ordering to get wrong: no deadlock is possible because no thread ever waits
 * for a second lock while holding this one. Every critical section is a few map look-ups and integer
 * operations (and no I/O), so one lock costs little next to the provider call it guards.
 *
 * <h2>Charges and reservations</h2>
 * {@link #settle} charges the actual cost to every bucket even when that takes a balance below zero
 * (Aperture's semantics: a call admitted while positive is charged in full). A reservation that is
 * neither settled nor released within its ttl is expired: its holder is taken to have died mid-call,
 * after the provider most likely received the request, so the store <em>charges the estimate</em> (the
 * best guess of what was spent: a budget should err on the side of not overspending) and remembers the
 * id for a while. A late {@link #settle} of an expired reservation then charges only the difference
 * between the actual cost and the estimate, and a late {@link #release} refunds the estimate, so the
 * books come out exact even when a call outlives its ttl. A settle for a reservation the store does not
 * know at all (forgotten long ago) still charges the actual cost to the reservation's buckets: spending
 * that happened is recorded. Settling one reservation twice is the caller's bug; {@link QuotaGate} makes
 * it impossible.
 */
public final class InMemoryQuotaStore implements QuotaStore {
  /** How many expired reservations are remembered for a late settle or release. */
  static final int EXPIRED_REMEMBERED = 65_536;
  /** Balances never go below this, so no arithmetic on them can overflow. */
  private static final long FLOOR = -(1L << 62);

  private final Clock clock;
  private final Instant origin;
  private final Object lock = new Object();
  private final Map<String, BucketState> states = new HashMap<>();
  private final Map<String, Held> held = new HashMap<>();
  private final PriorityQueue<Held> byExpiry = new PriorityQueue<>(Comparator.comparingLong(h -> h.expiresAt));
  /** Expired reservations, by id, with the estimate that expiry charged; oldest evicted first. */
  private final LinkedHashMap<String, Long> expired = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > EXPIRED_REMEMBERED;
    }
  };
  /** The latest time seen, so a clock stepping backwards never un-refills a bucket. */
  private long lastNow = Long.MIN_VALUE;

  /** A store on {@code clock}, which drives refills and reservation expiry. */
  public InMemoryQuotaStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.origin = clock.instant();
  }

  @Override
  public Admission reserve(String reservationId, List<QuotaBucket> buckets, long estimateNanos, Duration ttl) {
    Objects.requireNonNull(reservationId, "reservationId == null");
    if (estimateNanos < 0) throw new IllegalArgumentException("estimateNanos < 0: " + estimateNanos);
    if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive");
    List<QuotaBucket> distinct = distinct(buckets);
    synchronized (lock) {
      long now = now();
      expire(now);
      if (held.containsKey(reservationId)) {
        throw new IllegalStateException("reservation '" + reservationId + "' is already held");
      }
      List<BucketState> resolved = resolve(distinct, now);
      BucketState refusedBy = null;
      Duration retryAfter = Duration.ZERO;
      for (BucketState state : resolved) {
        long available = state.available();
        if (available > 0) continue;
        if (refusedBy == null) refusedBy = state;
        // Admission needs every bucket positive, so the caller can come back when the slowest one is.
        Duration wait = state.definition.timeUntilPositive(available);
        if (wait.compareTo(retryAfter) > 0) retryAfter = wait;
      }
      if (refusedBy != null) return Admission.refused(refusedBy.balance(), retryAfter);
      Reservation reservation = new Reservation(reservationId, distinct, estimateNanos);
      if (resolved.isEmpty()) return Admission.admitted(reservation); // Nothing to hold.
      for (BucketState state : resolved) state.reserved = saturatedAdd(state.reserved, estimateNanos);
      Held hold = new Held(reservation, resolved, saturatedAdd(now, ttl.toNanos()));
      held.put(reservationId, hold);
      byExpiry.add(hold);
      return Admission.admitted(reservation);
    }
  }

  @Override
  public void settle(Reservation reservation, long actualNanos) {
    if (actualNanos < 0) throw new IllegalArgumentException("actualNanos < 0: " + actualNanos);
    synchronized (lock) {
      long now = now();
      expire(now);
      Held hold = held.remove(reservation.id());
      if (hold != null) {
        hold.done = true;
        for (BucketState state : hold.states) {
          state.refill(now);
          state.reserved -= hold.reservation.estimateNanos();
          state.charge(actualNanos);
        }
        return;
      }
      Long chargedAtExpiry = expired.remove(reservation.id());
      long charge = chargedAtExpiry != null ? actualNanos - chargedAtExpiry : actualNanos;
      for (BucketState state : resolve(distinct(reservation.buckets()), now)) state.charge(charge);
    }
  }

  @Override
  public void release(Reservation reservation) {
    synchronized (lock) {
      long now = now();
      expire(now);
      Held hold = held.remove(reservation.id());
      if (hold != null) {
        hold.done = true;
        for (BucketState state : hold.states) state.reserved -= hold.reservation.estimateNanos();
        return;
      }
      Long chargedAtExpiry = expired.remove(reservation.id());
      if (chargedAtExpiry == null) return; // Never held, or long forgotten: nothing was charged for it.
      for (BucketState state : resolve(distinct(reservation.buckets()), now)) state.charge(-chargedAtExpiry);
    }
  }

  @Override
  public List<QuotaBalance> balances(List<QuotaBucket> buckets) {
    synchronized (lock) {
      long now = now();
      expire(now);
      List<QuotaBalance> result = new ArrayList<>(buckets.size());
      for (QuotaBucket bucket : buckets) result.add(resolve(bucket, now).balance());
      return result;
    }
  }

  @Override
  public QuotaBalance refill(QuotaBucket bucket, long amountNanos) {
    if (amountNanos < 0) throw new IllegalArgumentException("amountNanos < 0: " + amountNanos);
    synchronized (lock) {
      long now = now();
      expire(now);
      BucketState state = resolve(bucket, now);
      state.charge(-amountNanos); // charge() caps at capacity, as Aperture's refill API does.
      return state.balance();
    }
  }

  /** How many reservations are held now (expired ones dropped first). */
  public int reservationsHeld() {
    synchronized (lock) {
      expire(now());
      return held.size();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "InMemoryQuotaStore{buckets=" + states.size() + ", reservations=" + held.size() + "}";
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Nanoseconds since this store was made, never going backwards. Call with the lock held. */
  private long now() {
    long now;
    try {
      now = Duration.between(origin, clock.instant()).toNanos();
    } catch (ArithmeticException e) {
      now = Long.MAX_VALUE / 2; // 146 years on: treat as far future.
    }
    if (now < lastNow) now = lastNow;
    lastNow = now;
    return now;
  }

  /** Expires every reservation whose ttl has passed, charging its estimate. Call with the lock held. */
  private void expire(long now) {
    for (Held hold = byExpiry.peek(); hold != null && hold.expiresAt <= now; hold = byExpiry.peek()) {
      byExpiry.poll();
      if (hold.done) continue; // Settled or released already; removed from the queue lazily.
      held.remove(hold.reservation.id());
      long estimate = hold.reservation.estimateNanos();
      for (BucketState state : hold.states) {
        state.refill(now);
        state.reserved -= estimate;
        state.charge(estimate);
      }
      expired.put(hold.reservation.id(), estimate);
    }
  }

  private List<BucketState> resolve(List<QuotaBucket> buckets, long now) {
    if (buckets.isEmpty()) return List.of();
    List<BucketState> result = new ArrayList<>(buckets.size());
    for (QuotaBucket bucket : buckets) result.add(resolve(bucket, now));
    return result;
  }

  /** The bucket's state, created full if new, redefined if its definition changed, refilled to now. */
  private BucketState resolve(QuotaBucket bucket, long now) {
    BucketState state = states.get(bucket.name());
    if (state == null) {
      state = new BucketState(bucket, now);
      states.put(bucket.name(), state);
      return state;
    }
    state.refill(now);
    if (!sameDefinition(state.definition, bucket)) state.redefine(bucket, now);
    return state;
  }

  private static boolean sameDefinition(QuotaBucket a, QuotaBucket b) {
    return a.capacityNanos() == b.capacityNanos() && a.rateNanos() == b.rateNanos()
        && a.ratePeriod().equals(b.ratePeriod());
  }

  /** The buckets with repeats of a name dropped: a call is charged once per bucket. */
  private static List<QuotaBucket> distinct(List<QuotaBucket> buckets) {
    if (buckets.size() < 2) return List.copyOf(buckets);
    Map<String, QuotaBucket> byName = new LinkedHashMap<>();
    for (QuotaBucket bucket : buckets) byName.putIfAbsent(bucket.name(), bucket);
    return List.copyOf(byName.values());
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // Overflow iff both operands have the sign opposite to the result's.
    if (((a ^ sum) & (b ^ sum)) < 0) return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    return sum;
  }

  /**
   * {@code floor(rate × elapsed / period)}, exactly; {@link Long#MAX_VALUE} if larger. This is
   * {@link QuotaBucket#refillFor} without its cap at capacity: the store measures refill from the moment
   * the bucket was last full, and needs the running total, which may exceed capacity when the balance is
   * far below zero. {@code rate / period} is given reduced by their gcd ({@code $5.00/day} is 1
   * nanodollar per 17,280 ns), so the product fits in a long for years and BigInteger is a rare fallback.
   */
  static long earned(long rate, long period, long elapsedNanos) {
    if (elapsedNanos <= 0 || rate == 0) return 0;
    if (Math.multiplyHigh(rate, elapsedNanos) == 0 && rate * elapsedNanos >= 0) {
      return rate * elapsedNanos / period;
    }
    BigInteger total = BigInteger.valueOf(rate).multiply(BigInteger.valueOf(elapsedNanos))
        .divide(BigInteger.valueOf(period));
    return total.bitLength() < 63 ? total.longValue() : Long.MAX_VALUE;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** One bucket's mutable state. Only touched with the store's lock held. */
  private static final class BucketState {
    QuotaBucket definition;
    /** The definition's rate and period divided by their gcd. */
    long rate;
    long period;
    long balance;
    long reserved;
    /** When refill was last measured from: the moment the bucket was last full or redefined. */
    long anchor;
    /** What has been credited since {@link #anchor}. */
    long earned;

    BucketState(QuotaBucket definition, long now) {
      define(definition);
      this.balance = definition.capacityNanos();
      this.anchor = now;
    }

    private void define(QuotaBucket bucket) {
      definition = bucket;
      long period = bucket.ratePeriod().toNanos();
      long divisor = bucket.rateNanos() == 0 ? 1 : gcd(bucket.rateNanos(), period);
      this.rate = bucket.rateNanos() / divisor;
      this.period = period / divisor;
    }

    void refill(long now) {
      long capacity = definition.capacityNanos();
      if (balance >= capacity) {
        full(now);
        return;
      }
      long total = earned(rate, period, now - anchor);
      long added = total - earned;
      if (added >= capacity - balance) { // No overflow: capacity ≥ 0 and balance ≥ FLOOR.
        full(now);
      } else {
        balance += added;
        earned = total;
      }
    }

    private void full(long now) {
      balance = definition.capacityNanos();
      anchor = now;
      earned = 0;
    }

    /** Takes {@code nanos} off the balance (adds, if negative), never above capacity nor below FLOOR. */
    void charge(long nanos) {
      long result = saturatedAdd(balance, -Math.max(nanos, -Long.MAX_VALUE));
      if (result < FLOOR) result = FLOOR;
      if (result > definition.capacityNanos()) result = definition.capacityNanos();
      balance = result;
    }

    /** Adopts a new definition (refilled to now already): balance capped, refill measured afresh. */
    void redefine(QuotaBucket bucket, long now) {
      define(bucket);
      if (balance > bucket.capacityNanos()) balance = bucket.capacityNanos();
      anchor = now;
      earned = 0;
    }

    long available() {
      return saturatedAdd(balance, -reserved);
    }

    QuotaBalance balance() {
      return new QuotaBalance(definition, balance, reserved);
    }
  }

  /** A reservation held by a call in flight. */
  private static final class Held {
    final Reservation reservation;
    final List<BucketState> states;
    final long expiresAt;
    /** Settled or released: skipped when it reaches the head of {@link #byExpiry}. */
    boolean done;

    Held(Reservation reservation, List<BucketState> states, long expiresAt) {
      this.reservation = reservation;
      this.states = states;
      this.expiresAt = expiresAt;
    }
  }
}
