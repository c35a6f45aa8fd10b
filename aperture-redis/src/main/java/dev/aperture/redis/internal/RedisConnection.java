package dev.aperture.redis.internal;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A pool of Jedis connections to one Redis, with every failure turned into a {@link RedisFault}.
 *
 * <p>Jedis destroys a connection that failed; the next command opens a new one, so reconnecting needs
 * nothing. After Redis restarts every idle pooled connection is dead: the first command that meets one
 * empties the pool and tries once more on a fresh connection (every script is idempotent for that).
 */
public final class RedisConnection implements AutoCloseable {
  /** Redis error codes that mean "not now", not "your command is wrong". */
  private static final Set<String> UNAVAILABLE_CODES = Set.of("LOADING", "BUSY", "MASTERDOWN", "READONLY",
      "OOM", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MISCONF", "NOAUTH", "WRONGPASS", "NOPERM");

  private final RedisClient client;
  private final String address;
  private final Duration timeout;

  private RedisConnection(RedisClient client, String address, Duration timeout) {
    this.client = client;
    this.address = address;
    this.timeout = timeout;
  }

  /** Opens a pool; no connection is made until the first command, so Redis may be down now. */
  public static RedisConnection open(Settings settings) {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, settings.commandTimeout.toMillis()));
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMillis)
        .socketTimeoutMillis(timeoutMillis)
        .database(settings.database)
        .ssl(settings.ssl)
        .clientName("aperture");
    if (settings.password != null) {
      config.user(settings.user).password(settings.password);
    }
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(settings.poolSize);
    pool.setMaxIdle(settings.poolSize);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    // A caller waits for a pooled connection no longer than for an answer.
    pool.setMaxWait(settings.commandTimeout);
    RedisClient client = RedisClient.builder()
        .hostAndPort(new HostAndPort(settings.host, settings.port))
        .clientConfig(config.build())
        .poolConfig(pool)
        .build();
    return new RedisConnection(client, settings.host + ":" + settings.port, settings.commandTimeout);
  }

  /** {@code host:port}, for messages: never the credentials. */
  public String address() {
    return address;
  }

  public Duration timeout() {
    return timeout;
  }

  /** Runs {@code script} by SHA, sending its source only when Redis does not have it (NOSCRIPT). */
  public Object eval(Script script, List<String> keys, List<String> args, boolean retryable) {
    return run(jedis -> {
      try {
        return jedis.evalsha(script.sha(), keys, args);
      } catch (JedisNoScriptException e) {
        // Redis restarted or flushed its script cache: EVAL runs it and caches it again.
        return jedis.eval(script.source(), keys, args);
      }
    }, retryable);
  }

  /** Runs {@code command}; {@code retryable} when running it twice does what running it once does. */
  public <T> T run(Function<UnifiedJedis, T> command, boolean retryable) {
    for (int attempt = 0; ; attempt++) {
      try {
        return command.apply(client);
      } catch (JedisConnectionException e) {
        boolean timedOut = isTimeout(e);
        if (timedOut || !retryable || attempt > 0) throw fault(e, timedOut);
        // The server closed this connection (restart): so are the other idle ones.
        client.getPool().clear();
      } catch (JedisDataException e) {
        String code = errorCode(e);
        if (UNAVAILABLE_CODES.contains(code)) {
          throw new RedisFault("Redis at " + address + " refuses commands: " + safeMessage(e), false, e);
        }
        throw new IllegalStateException("Redis at " + address + " rejected a command: " + safeMessage(e), e);
      } catch (JedisException e) {
        // Most often no pooled connection was free within the timeout.
        throw fault(e, isTimeout(e));
      }
    }
  }

  private RedisFault fault(JedisException e, boolean timedOut) {
    if (timedOut) {
      return new RedisFault("Redis at " + address + " did not answer within " + timeout.toMillis() + " ms",
          true, e);
    }
    return new RedisFault("Redis at " + address + " is unreachable (" + rootMessage(e) + ")", false, e);
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof NoSuchElementException) return true;
    }
    return false;
  }

  private static String errorCode(JedisDataException e) {
    String message = Objects.requireNonNullElse(e.getMessage(), "");
    int space = message.indexOf(' ');
    return (space < 0 ? message : message.substring(0, space)).toUpperCase(Locale.ROOT);
  }

  private static String safeMessage(Throwable e) {
    String message = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return safeMessage(root);
  }

  @Override
  public void close() {
    client.close();
  }

  /** Where Redis is and how to talk to it. Mutable, owned by one store builder. */
  public static final class Settings {
    public String host = "127.0.0.1";
    public int port = 6379;
    public @Nullable String user;
    public @Nullable String password;
    public int database;
    public boolean ssl;
    public int poolSize = 16;
    public Duration commandTimeout = Duration.ofMillis(250);

    /** Reads {@code redis://[[user]:password@]host[:port][/database]} or {@code rediss://} (TLS). */
    public void uri(URI uri) {
      String scheme = Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
      if (!scheme.equals("redis") && !scheme.equals("rediss")) {
        throw new IllegalArgumentException("Redis URI must start with redis:// or rediss://, not '" + scheme + "://'");
      }
      if (uri.getHost() == null) throw new IllegalArgumentException("Redis URI has no host");
      host = uri.getHost();
      port = uri.getPort() == -1 ? 6379 : uri.getPort();
      ssl = scheme.equals("rediss");
      String userInfo = uri.getRawUserInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        String rawUser = colon < 0 ? "" : userInfo.substring(0, colon);
        String rawPassword = colon < 0 ? userInfo : userInfo.substring(colon + 1);
        user = rawUser.isEmpty() ? null : URLDecoder.decode(rawUser, StandardCharsets.UTF_8);
        password = URLDecoder.decode(rawPassword, StandardCharsets.UTF_8);
      }
      String path = Objects.requireNonNullElse(uri.getPath(), "");
      if (path.length() > 1) {
        try {
          database = Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("Redis URI path must be a database number, not '" + path + "'");
        }
      }
    }

    public void poolSize(int poolSize) {
      if (poolSize < 1) throw new IllegalArgumentException("poolSize < 1");
      this.poolSize = poolSize;
    }

    public void commandTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("commandTimeout must be positive");
      this.commandTimeout = timeout;
    }
  }
}
