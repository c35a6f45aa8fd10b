package dev.aperture.redis;

import dev.aperture.CooldownStore;
import dev.aperture.redis.internal.QuotaScripts;
import dev.aperture.redis.internal.RedisConnection;
import dev.aperture.redis.internal.RedisFault;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link CooldownStore} on Redis: a route cooled down on one node is skipped by every node.
 *
 * <p>Every {@link #state} reads Redis (one {@code MGET}), so the delay before every node sees a
 * cooldown is zero: once {@link #coolDown} returns, the next check anywhere answers
 * {@link State#COOLING}. Cooldowns expire on the Redis server's clock ({@code SET ... PX}); a probe is
 * claimed with {@code SET NX PX}, so exactly one node per window probes a route.
 *
 * <p>Keys, under {@code <namespace>:}: {@code c:<route>} while cooling, {@code cp:<route>} while the route
 * needs a probe (it expires {@link Builder#probeMemory} after the cooldown: a route nobody probed for
 * that long is available again), {@code cc:<route>} for the claim.
 *
 * <p>When Redis does not answer: {@link FaultPolicy#FAIL_OPEN} (the default here, since a cooldown only
 * spares a route that is already failing) answers from what this node itself learnt during the outage;
 * {@link FaultPolicy#FAIL_CLOSED} throws {@link RedisUnavailableException}. Thread-safe.
 */
public final class RedisCooldownStore implements CooldownStore, AutoCloseable {
  private static final System.Logger logger = System.getLogger(RedisCooldownStore.class.getName());

  private final RedisConnection redis;
  private final String namespace;
  private final FaultPolicy faultPolicy;
  private final long probeMemoryMillis;
  private final Clock clock;
  private final AtomicBoolean failing = new AtomicBoolean();
  /** What this node learnt while Redis did not answer: route → {coolingUntil, probeClaimedUntil}. */
  private final Map<String, Instant[]> local = new ConcurrentHashMap<>();

  private RedisCooldownStore(Builder builder) {
    this.redis = RedisConnection.open(builder.settings);
    this.namespace = builder.namespace;
    this.faultPolicy = builder.faultPolicy;
    this.probeMemoryMillis = builder.probeMemory.toMillis();
    this.clock = builder.clock;
  }

  /** A builder with the defaults: {@code redis://127.0.0.1:6379}, fail-open, namespace {@code aperture}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The route's state as every node sees it now. */
  @Override
  public State state(String routeKey) {
    Objects.requireNonNull(routeKey, "routeKey == null");
    List<String> values;
    try {
      values = redis.run(jedis -> jedis.mget(coolingKey(routeKey), probeKey(routeKey)), true);
    } catch (RedisFault fault) {
      failed(fault, "cooldown state of '" + routeKey + "' cannot be read");
      return localState(routeKey);
    }
    answered();
    if (values.get(0) != null) return State.COOLING;
    if (values.get(1) != null) return State.PROBE;
    return State.AVAILABLE;
  }

  /** Cools the route down for every node; a claim on its previous probe no longer counts. */
  @Override
  public void coolDown(String routeKey, Duration duration) {
    Objects.requireNonNull(routeKey, "routeKey == null");
    long millis = Math.max(1, duration.toMillis());
    try {
      redis.eval(QuotaScripts.COOL_DOWN, List.of(coolingKey(routeKey), probeKey(routeKey), claimKey(routeKey)),
          List.of(Long.toString(millis), Long.toString(millis + probeMemoryMillis)), true);
      answered();
    } catch (RedisFault fault) {
      failed(fault, "route '" + routeKey + "' cannot be cooled down for every node");
      local.put(routeKey, new Instant[] {clock.instant().plusMillis(millis), Instant.MIN});
    }
  }

  /** True for exactly one caller, on any node, per {@code window} of a route that needs a probe. */
  @Override
  public boolean claimProbe(String routeKey, Duration window) {
    Objects.requireNonNull(routeKey, "routeKey == null");
    long millis = Math.max(1, window.toMillis());
    Object claimed;
    try {
      claimed = redis.eval(QuotaScripts.CLAIM_PROBE,
          List.of(coolingKey(routeKey), probeKey(routeKey), claimKey(routeKey)), List.of(Long.toString(millis)), false);
    } catch (RedisFault fault) {
      failed(fault, "the probe of '" + routeKey + "' cannot be claimed for every node");
      return claimLocally(routeKey, millis);
    }
    answered();
    return Long.valueOf(1).equals(claimed);
  }

  /** Marks the route available again for every node. */
  @Override
  public void clear(String routeKey) {
    Objects.requireNonNull(routeKey, "routeKey == null");
    local.remove(routeKey);
    try {
      redis.run(jedis -> jedis.del(coolingKey(routeKey), probeKey(routeKey), claimKey(routeKey)), true);
      answered();
    } catch (RedisFault fault) {
      failed(fault, "route '" + routeKey + "' cannot be cleared for every node");
    }
  }

  /** Closes the connections. */
  @Override
  public void close() {
    redis.close();
  }

  private State localState(String routeKey) {
    Instant[] entry = local.get(routeKey);
    if (entry == null) return State.AVAILABLE;
    return clock.instant().isBefore(entry[0]) ? State.COOLING : State.PROBE;
  }

  private boolean claimLocally(String routeKey, long millis) {
    Instant now = clock.instant();
    boolean[] claimed = {false};
    local.computeIfPresent(routeKey, (key, entry) -> {
      if (now.isBefore(entry[0]) || now.isBefore(entry[1])) return entry;
      claimed[0] = true;
      return new Instant[] {entry[0], now.plusMillis(millis)};
    });
    return claimed[0];
  }

  private void failed(RedisFault fault, String what) {
    if (faultPolicy == FaultPolicy.FAIL_CLOSED) {
      throw new RedisUnavailableException(fault.getMessage() + ": " + what, redis.address(), fault.timedOut(), fault);
    }
    if (failing.compareAndSet(false, true)) {
      logger.log(System.Logger.Level.WARNING, "{0}: cooldowns are local to this node until it answers",
          fault.getMessage());
    }
  }

  private void answered() {
    if (failing.compareAndSet(true, false)) {
      logger.log(System.Logger.Level.INFO, "Redis at {0} answers again: cooldowns are shared again", redis.address());
      local.clear();
    }
  }

  private String coolingKey(String routeKey) {
    return namespace + ":c:" + routeKey;
  }

  private String probeKey(String routeKey) {
    return namespace + ":cp:" + routeKey;
  }

  private String claimKey(String routeKey) {
    return namespace + ":cc:" + routeKey;
  }

  /** Builds a {@link RedisCooldownStore}. */
  public static final class Builder {
    final RedisConnection.Settings settings = new RedisConnection.Settings();
    String namespace = "aperture";
    FaultPolicy faultPolicy = FaultPolicy.FAIL_OPEN;
    Duration probeMemory = Duration.ofDays(7);
    Clock clock = Clock.systemUTC();

    Builder() {
    }

    /** Where Redis is: {@code redis://[[user]:password@]host[:port][/database]} or {@code rediss://}. */
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

    /** At most this many connections at once; 16 by default. */
    public Builder poolSize(int poolSize) {
      settings.poolSize(poolSize);
      return this;
    }

    /** How long one command may take before it counts as a fault; 250 ms by default. */
    public Builder commandTimeout(Duration timeout) {
      settings.commandTimeout(Objects.requireNonNull(timeout, "timeout == null"));
      return this;
    }

    /** The prefix of every key; {@code aperture} by default. */
    public Builder namespace(String namespace) {
      Objects.requireNonNull(namespace, "namespace == null");
      if (namespace.isEmpty() || namespace.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("namespace must be non-empty without whitespace: '" + namespace + "'");
      }
      this.namespace = namespace;
      return this;
    }

    /** What a check does when Redis does not answer; {@link FaultPolicy#FAIL_OPEN} by default. */
    public Builder faultPolicy(FaultPolicy faultPolicy) {
      this.faultPolicy = Objects.requireNonNull(faultPolicy, "faultPolicy == null");
      return this;
    }

    /** How long after its cooldown a route that nobody probed still needs a probe; 7 days by default. */
    public Builder probeMemory(Duration probeMemory) {
      Objects.requireNonNull(probeMemory, "probeMemory == null");
      if (probeMemory.toMillis() < 1) throw new IllegalArgumentException("probeMemory must be at least 1 ms");
      this.probeMemory = probeMemory;
      return this;
    }

    /** The clock of the local fallback used only while Redis does not answer; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock == null");
      return this;
    }

    /** A store with these settings; connects on first use, so Redis may be down now. */
    public RedisCooldownStore build() {
      return new RedisCooldownStore(this);
    }
  }
}
