package dev.aperture.redis;

import dev.aperture.Money;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaBucket;
import dev.aperture.QuotaStore;
import dev.aperture.redis.internal.BucketArgs;
import dev.aperture.redis.internal.ChargeJournal;
import dev.aperture.redis.internal.QuotaScripts;
import dev.aperture.redis.internal.RedisConnection;
import dev.aperture.redis.internal.RedisFault;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link QuotaStore} on Redis, shared by every instance of an application: N nodes together spend
 * one bucket's capacity, not N of them.
 *
 * <p>Reserve, settle and release are each one round trip: a Lua script, run by SHA, that refills every
 * bucket of the call by the time elapsed on the Redis server's clock ({@code TIME}, so nodes whose
 * clocks disagree still agree), checks that each is positive less what calls in flight have reserved,
 * and reserves or charges all of them together. Refill is exactly {@link QuotaBucket#refillFor}. Keys
 * live under {@code <namespace>:q:} and expire only after they would have refilled to full, so an
 * expired bucket means what a full one means.
 *
 * <p>A reservation expires with the {@code ttl} given to {@link #reserve}, as {@link QuotaStore} says:
 * its holder is taken to have died mid-call, after the provider most likely received the request, so the
 * first script to touch a bucket after the ttl charges the estimate to it (and stops holding it), and
 * leaves a marker {@code <namespace>:qx:<id>} with the estimate for {@link Builder#settleDedupWindow}. A
 * late {@link #settle} then charges only {@code actual − estimate} (a refund when negative), and a late
 * {@link #release} refunds the estimate once. Reservation ids must be unique per call (the Router adds a
 * random suffix to each call's request id): a settled id is remembered for
 * {@link Builder#settleDedupWindow} so that a settle replayed after a lost answer never charges twice.
 *
 * <p>When Redis is unreachable or slower than {@link Builder#commandTimeout}, {@link Builder#faultPolicy}
 * decides: {@link FaultPolicy#FAIL_CLOSED} (the default) refuses the call with
 * {@link RedisUnavailableException} before any provider is called; {@link FaultPolicy#FAIL_OPEN} admits
 * it unchecked. Either way a settle that cannot reach Redis is kept in a bounded local journal and
 * replayed, in order, as soon as Redis answers again; it is never dropped silently. Thread-safe;
 * {@linkplain #close close} it when the application stops.
 */
public final class RedisQuotaStore implements QuotaStore, AutoCloseable {
  private static final System.Logger logger = System.getLogger(RedisQuotaStore.class.getName());

  private final RedisConnection redis;
  private final String namespace;
  private final FaultPolicy faultPolicy;
  private final ChargeJournal journal;
  private final long marginMillis;
  private final long settleDedupMillis;
  private final @Nullable ScheduledExecutorService replayer;
  private final ReentrantLock replayLock = new ReentrantLock();
  private final AtomicLong uncheckedAdmissions = new AtomicLong();
  /** Set while Redis is known to be failing, so the warning is logged once per outage, with counts. */
  private final AtomicBoolean failing = new AtomicBoolean();

  private RedisQuotaStore(Builder builder) {
    this.redis = RedisConnection.open(builder.settings);
    this.namespace = builder.namespace;
    this.faultPolicy = builder.faultPolicy;
    this.journal = new ChargeJournal(builder.journalCapacity);
    this.marginMillis = builder.ttlMargin.toMillis();
    this.settleDedupMillis = builder.settleDedupWindow.toMillis();
    if (builder.replayInterval.isZero()) {
      this.replayer = null;
    } else {
      this.replayer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "aperture-redis-quota-replay");
        thread.setDaemon(true);
        return thread;
      });
      long interval = builder.replayInterval.toMillis();
      replayer.scheduleWithFixedDelay(this::replayQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  /** A builder with the defaults: {@code redis://127.0.0.1:6379}, fail-closed, namespace {@code aperture}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Admits and reserves {@code estimateNanos} on every bucket in one script, or refuses naming the first
   * bucket that is not positive. When Redis does not answer: throws {@link RedisUnavailableException}
   * (fail-closed; a reserve that timed out, and so may still run, is cancelled by a journaled settle of
   * 0), or admits unchecked (fail-open; also throws once the journal is full).
   */
  @Override
  public Admission reserve(String reservationId, List<QuotaBucket> buckets, long estimateNanos, Duration ttl) {
    Objects.requireNonNull(reservationId, "reservationId == null");
    if (estimateNanos < 0) throw new IllegalArgumentException("estimateNanos < 0");
    if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive");
    List<QuotaBucket> unique = unique(buckets);
    Reservation reservation = new Reservation(reservationId, unique, estimateNanos);
    if (unique.isEmpty()) return Admission.admitted(reservation);

    List<String> keys = new ArrayList<>(2 + 2 * unique.size());
    keys.add(settledKey(reservationId));
    keys.add(expiredKey(reservationId));
    List<String> args = new ArrayList<>(6 + 5 * unique.size());
    args.add(reservationId);
    args.add(Long.toString(estimateNanos));
    args.add(Long.toString(Math.max(1, ttl.toMillis())));
    args.add(Long.toString(marginMillis));
    addExpiry(args);
    addBuckets(unique, keys, args);
    List<?> result;
    try {
      result = (List<?>) redis.eval(QuotaScripts.RESERVE, keys, args, true);
    } catch (RedisFault fault) {
      return reserveFailed(reservation, fault);
    }
    answered();
    if ((Long) result.get(0) == 1L) return Admission.admitted(reservation);
    QuotaBucket refusedBy = unique.get(((Long) result.get(1)).intValue() - 1);
    QuotaBalance balance = new QuotaBalance(refusedBy, (Long) result.get(2), (Long) result.get(3));
    return Admission.refused(balance, refusedBy.timeUntilPositive(balance.availableNanos()));
  }

  private Admission reserveFailed(Reservation reservation, RedisFault fault) {
    if (faultPolicy == FaultPolicy.FAIL_CLOSED) {
      // A reserve that timed out may still run on Redis, and its reservation would then expire and be
      // charged for a call that was refused: journal a settle of 0, which cancels it whenever it runs.
      if (fault.timedOut() && !journal.isFull()) journal.add(new ChargeJournal.Entry(reservation, 0));
      warnFailing(fault, "refusing calls (fail-closed)");
      throw unavailable("quota cannot be checked, so the call is refused (fail-closed)", fault);
    }
    if (journal.isFull()) {
      throw unavailable("quota cannot be checked and the local journal is full (" + journal.size()
          + " charges pending), so the call is refused", fault);
    }
    long unchecked = uncheckedAdmissions.incrementAndGet();
    warnFailing(fault, "admitting calls unchecked (fail-open; " + unchecked + " so far)");
    return Admission.admitted(reservation);
  }

  /**
   * Charges {@code actualNanos} to every bucket and drops the reservation, in one script; a replay of a
   * settled id charges nothing, and a reservation that expired (and was charged its estimate then) is
   * charged {@code actualNanos − estimate}. When Redis does not answer, the charge is journaled and replayed later.
   */
  @Override
  public void settle(Reservation reservation, long actualNanos) {
    Objects.requireNonNull(reservation, "reservation == null");
    if (actualNanos < 0) throw new IllegalArgumentException("actualNanos < 0");
    if (reservation.buckets().isEmpty()) return;
    ChargeJournal.Entry entry = new ChargeJournal.Entry(reservation, actualNanos);
    try {
      settleOnRedis(entry);
      answered();
    } catch (RedisFault fault) {
      int pending = journal.add(entry);
      // One line per doubling keeps an outage's log short and still says how much is pending.
      if (Integer.bitCount(pending) == 1) {
        logger.log(System.Logger.Level.WARNING, "{0}; kept the charge in the local journal to replay:"
            + " {1} charges ({2}) pending", fault.getMessage(), pending, Money.format(journal.nanos()));
      }
    }
  }

  private void settleOnRedis(ChargeJournal.Entry entry) {
    List<QuotaBucket> unique = unique(entry.reservation().buckets());
    String id = entry.reservation().id();
    List<String> keys = new ArrayList<>(2 + 2 * unique.size());
    keys.add(settledKey(id));
    keys.add(expiredKey(id));
    List<String> args = new ArrayList<>(5 + 5 * unique.size());
    args.add(id);
    args.add(Long.toString(entry.actualNanos()));
    args.add(Long.toString(settleDedupMillis));
    args.add(Long.toString(marginMillis));
    args.add(namespace + ":qx:");
    addBuckets(unique, keys, args);
    redis.eval(QuotaScripts.SETTLE, keys, args, true);
  }

  /**
   * Drops the reservation without charging (refunds the estimate its expiry charged, if it expired).
   * When Redis does not answer, nothing is kept: the reservation expires after its ttl by itself, and is
   * charged its estimate then.
   */
  @Override
  public void release(Reservation reservation) {
    Objects.requireNonNull(reservation, "reservation == null");
    List<QuotaBucket> unique = unique(reservation.buckets());
    if (unique.isEmpty()) return;
    List<String> keys = new ArrayList<>(1 + 2 * unique.size());
    keys.add(expiredKey(reservation.id()));
    List<String> args = new ArrayList<>(4 + 5 * unique.size());
    args.add(reservation.id());
    args.add(Long.toString(marginMillis));
    addExpiry(args);
    addBuckets(unique, keys, args);
    try {
      redis.eval(QuotaScripts.RELEASE, keys, args, true);
      answered();
    } catch (RedisFault fault) {
      logger.log(System.Logger.Level.DEBUG, "{0}; the reservation expires after its ttl instead", fault.getMessage());
    }
  }

  /**
   * The state of each bucket, refilled to now on the Redis clock, in the order given.
   *
   * @throws RedisUnavailableException when Redis does not answer, whatever the fault policy
   */
  @Override
  public List<QuotaBalance> balances(List<QuotaBucket> buckets) {
    List<QuotaBucket> unique = unique(buckets);
    if (unique.isEmpty()) return List.of();
    List<String> keys = new ArrayList<>(2 * unique.size());
    List<String> args = new ArrayList<>(3 + 5 * unique.size());
    args.add(Long.toString(marginMillis));
    addExpiry(args);
    addBuckets(unique, keys, args);
    List<?> result;
    try {
      result = (List<?>) redis.eval(QuotaScripts.BALANCES, keys, args, true);
    } catch (RedisFault fault) {
      throw unavailable("quota balances cannot be read", fault);
    }
    answered();
    Map<String, QuotaBalance> byName = new LinkedHashMap<>();
    for (int i = 0; i < unique.size(); i++) {
      QuotaBucket bucket = unique.get(i);
      byName.put(bucket.name(), new QuotaBalance(bucket, (Long) result.get(2 * i), (Long) result.get(2 * i + 1)));
    }
    List<QuotaBalance> balances = new ArrayList<>(buckets.size());
    for (QuotaBucket bucket : buckets) {
      QuotaBalance balance = byName.get(bucket.name());
      balances.add(new QuotaBalance(bucket, balance.balanceNanos(), balance.reservedNanos()));
    }
    return List.copyOf(balances);
  }

  /**
   * Adds {@code amountNanos} to the bucket, capped at its capacity. Not retried: a refill whose answer
   * was lost may have happened.
   *
   * @throws RedisUnavailableException when Redis does not answer, whatever the fault policy
   */
  @Override
  public QuotaBalance refill(QuotaBucket bucket, long amountNanos) {
    Objects.requireNonNull(bucket, "bucket == null");
    if (amountNanos < 0) throw new IllegalArgumentException("amountNanos < 0");
    List<String> keys = new ArrayList<>(2);
    List<String> args = new ArrayList<>(9);
    args.add(Long.toString(amountNanos));
    args.add(Long.toString(marginMillis));
    addExpiry(args);
    addBuckets(List.of(bucket), keys, args);
    List<?> result;
    try {
      result = (List<?>) redis.eval(QuotaScripts.REFILL, keys, args, false);
    } catch (RedisFault fault) {
      throw unavailable("quota '" + bucket.name() + "' cannot be refilled", fault);
    }
    answered();
    return new QuotaBalance(bucket, (Long) result.get(0), (Long) result.get(1));
  }

  /** Charges kept in the local journal because Redis did not answer, not yet replayed. */
  public int pendingCharges() {
    return journal.size();
  }

  /** Calls admitted unchecked under {@link FaultPolicy#FAIL_OPEN} since this store was built. */
  public long uncheckedAdmissions() {
    return uncheckedAdmissions.get();
  }

  /**
   * Replays the journaled charges now, oldest first, and returns how many reached Redis; stops at the
   * first that does not (it stays first). The store also does this every {@link Builder#replayInterval}.
   */
  public int replayPendingCharges() {
    if (journal.size() == 0 || !replayLock.tryLock()) return 0;
    int replayed = 0;
    long replayedNanos = 0;
    try {
      ChargeJournal.Entry entry;
      while ((entry = journal.poll()) != null) {
        try {
          settleOnRedis(entry);
        } catch (RedisFault fault) {
          journal.putBack(entry);
          break;
        } catch (RuntimeException e) {
          journal.putBack(entry);
          throw e;
        }
        replayed++;
        replayedNanos += entry.actualNanos();
      }
    } finally {
      replayLock.unlock();
    }
    if (replayed > 0) {
      answered();
      logger.log(System.Logger.Level.INFO, "Redis at {0} answers again: replayed {1} journaled charges ({2});"
          + " {3} pending", redis.address(), replayed, Money.format(replayedNanos), journal.size());
    }
    return replayed;
  }

  private void replayQuietly() {
    try {
      replayPendingCharges();
    } catch (RuntimeException e) {
      logger.log(System.Logger.Level.WARNING, "replaying journaled charges failed", e);
    }
  }

  /**
   * Stops replaying in the background, replays what it can one last time, and closes the connections.
   * Charges still pending are logged at WARNING with their count and sum: they end with this process.
   */
  @Override
  public void close() {
    if (replayer != null) replayer.shutdownNow();
    replayPendingCharges();
    if (journal.size() > 0) {
      logger.log(System.Logger.Level.WARNING, "closing with {0} charges ({1}) that Redis at {2} never received",
          journal.size(), Money.format(journal.nanos()), redis.address());
    }
    redis.close();
  }

  private void answered() {
    if (failing.compareAndSet(true, false)) {
      logger.log(System.Logger.Level.INFO, "Redis at {0} answers again ({1} charges pending replay)",
          redis.address(), journal.size());
    }
  }

  private void warnFailing(RedisFault fault, String doing) {
    if (failing.compareAndSet(false, true)) {
      logger.log(System.Logger.Level.WARNING, "{0}; {1}; {2} charges pending replay",
          fault.getMessage(), doing, journal.size());
    }
  }

  private RedisUnavailableException unavailable(String what, RedisFault fault) {
    return new RedisUnavailableException(fault.getMessage() + ": " + what, redis.address(), fault.timedOut(), fault);
  }

  private void addBuckets(List<QuotaBucket> buckets, List<String> keys, List<String> args) {
    for (QuotaBucket bucket : buckets) {
      keys.add(namespace + ":q:" + bucket.name());
      keys.add(namespace + ":qz:" + bucket.name());
      BucketArgs.append(bucket, args);
    }
  }

  /** What every script that may expire reservations needs: the expired markers' prefix and ttl. */
  private void addExpiry(List<String> args) {
    args.add(namespace + ":qx:");
    args.add(Long.toString(settleDedupMillis));
  }

  private String settledKey(String reservationId) {
    return namespace + ":qs:" + reservationId;
  }

  /** The marker an expired reservation leaves, holding the estimate its expiry charged. */
  private String expiredKey(String reservationId) {
    return namespace + ":qx:" + reservationId;
  }

  /** The buckets once each, by name, first definition wins: a call is charged once per bucket. */
  private static List<QuotaBucket> unique(List<QuotaBucket> buckets) {
    Map<String, QuotaBucket> byName = new LinkedHashMap<>();
    for (QuotaBucket bucket : buckets) byName.putIfAbsent(bucket.name(), bucket);
    return byName.size() == buckets.size() ? buckets : List.copyOf(byName.values());
  }

  /** Builds a {@link RedisQuotaStore}. */
  public static final class Builder {
    final RedisConnection.Settings settings = new RedisConnection.Settings();
    String namespace = "aperture";
    FaultPolicy faultPolicy = FaultPolicy.FAIL_CLOSED;
    int journalCapacity = 10_000;
    Duration replayInterval = Duration.ofSeconds(1);
    Duration settleDedupWindow = Duration.ofHours(1);
    Duration ttlMargin = Duration.ofMinutes(1);

    Builder() {
    }

    /**
     * Where Redis is: {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for
     * TLS. The password is used to connect only, never logged.
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri == null");
      URI parsed;
      try {
        parsed = URI.create(uri);
      } catch (IllegalArgumentException e) {
        // The JDK quotes the whole URI, password included: say what is wrong without it.
        throw new IllegalArgumentException("not a valid Redis URI (" + uri.length() + " chars): "
            + (uri.contains("@") ? "check the user-info part and that special characters are percent-encoded"
                : "expected redis://host:port[/db]"));
      }
      return uri(parsed);
    }

    /** Where Redis is; see {@link #uri(String)}. */
    public Builder uri(URI uri) {
      settings.uri(Objects.requireNonNull(uri, "uri == null"));
      return this;
    }

    /** Redis's host; 127.0.0.1 by default. */
    public Builder host(String host) {
      settings.host = Objects.requireNonNull(host, "host == null");
      return this;
    }

    /** Redis's port; 6379 by default. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      settings.port = port;
      return this;
    }

    /** At most this many connections at once; 16 by default. A caller waits for one at most the timeout. */
    public Builder poolSize(int poolSize) {
      settings.poolSize(poolSize);
      return this;
    }

    /**
     * How long one command may take (connect, wait for a pooled connection, or answer) before it counts
     * as a fault for the {@link #faultPolicy}; 250 ms by default.
     */
    public Builder commandTimeout(Duration timeout) {
      settings.commandTimeout(Objects.requireNonNull(timeout, "timeout == null"));
      return this;
    }

    /** The prefix of every key, so several applications can share one Redis; {@code aperture} by default. */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace == null");
      if (namespace.isEmpty() || namespace.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("namespace must be non-empty without whitespace: '" + namespace + "'");
      }
      this.namespace = namespace;
      return this;
    }

    /** What a call does when Redis does not answer; {@link FaultPolicy#FAIL_CLOSED} by default. */
    public Builder faultPolicy(FaultPolicy faultPolicy) {
      this.faultPolicy = Objects.requireNonNull(faultPolicy, "faultPolicy == null");
      return this;
    }

    /**
     * How many unsettled charges the local journal keeps before a fail-open store refuses calls too;
     * 10,000 by default.
     */
    public Builder journalCapacity(int journalCapacity) {
      if (journalCapacity < 1) throw new IllegalArgumentException("journalCapacity < 1");
      this.journalCapacity = journalCapacity;
      return this;
    }

    /**
     * How often journaled charges are retried in the background; 1 s by default; zero turns the background
     * replay off ({@link #replayPendingCharges} then replays).
     */
    public Builder replayInterval(Duration replayInterval) {
      Objects.requireNonNull(replayInterval, "replayInterval == null");
      if (replayInterval.isNegative()) throw new IllegalArgumentException("replayInterval < 0");
      this.replayInterval = replayInterval;
      return this;
    }

    /**
     * How long a settled reservation id is remembered, so that a settle replayed after its answer was
     * lost does not charge twice, and an expired one, so that its late settle or release corrects the
     * estimate its expiry charged; 1 h by default (one small key per call for that long).
     */
    public Builder settleDedupWindow(Duration window) {
      Objects.requireNonNull(window, "window == null");
      if (window.toMillis() < 1) throw new IllegalArgumentException("settleDedupWindow must be at least 1 ms");
      this.settleDedupWindow = window;
      return this;
    }

    /**
     * What a bucket's keys outlive its full refill (and its last reservation) by; 1 min by default.
     */
    public Builder ttlMargin(Duration margin) {
      Objects.requireNonNull(margin, "margin == null");
      if (margin.toMillis() < 1) throw new IllegalArgumentException("ttlMargin must be at least 1 ms");
      this.ttlMargin = margin;
      return this;
    }

    /** A store with these settings; connects on first use, so Redis may be down now. */
    public RedisQuotaStore build() {
      return new RedisQuotaStore(this);
    }
  }
}
