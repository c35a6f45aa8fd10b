package dev.aperture.redis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.RedisClient;

/**
 * A real redis-server for tests. The shared one comes from {@code APERTURE_REDIS_URL} (or
 * {@code -Daperture.redis.url}, which {@code .ci/run} sets); without it, one is started from the
 * {@code redis-server} on PATH. Tests that must stop and restart Redis start their own. When no
 * redis-server can be had at all, tests are skipped with a message saying so, never passed.
 */
final class RedisServer implements AutoCloseable {
  private static @Nullable String sharedUrl;

  private final Path binary;
  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private @Nullable Process process;

  private RedisServer(Path binary, Path dir, int port, List<String> extraArgs) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /** The URL of the Redis shared by this test JVM; skips the test when there is none. */
  static synchronized String sharedUrl() {
    if (sharedUrl != null) return sharedUrl;
    String url = System.getenv("APERTURE_REDIS_URL");
    if (url == null || url.isBlank()) url = System.getProperty("aperture.redis.url");
    if (url == null || url.isBlank()) {
      RedisServer server = start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      url = server.url();
    }
    sharedUrl = url;
    return url;
  }

  /** A unique key namespace, so tests sharing one Redis never see each other's keys. */
  static String namespace() {
    return "test-" + UUID.randomUUID();
  }

  /** Starts a new redis-server on a free loopback port; skips the test when there is no binary. */
  static RedisServer start(String... extraArgs) {
    Path binary = binary();
    assumeTrue(binary != null, "no redis-server on PATH and no APERTURE_REDIS_URL: Redis tests skipped"
        + " (install it: apt-get install redis-server)");
    try {
      Path dir = Files.createTempDirectory("aperture-redis-test");
      RedisServer server = new RedisServer(binary, dir, freePort(), List.of(extraArgs));
      server.restart();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static @Nullable Path binary() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.add("/usr/bin");
    dirs.add("/usr/sbin");
    dirs.add("/usr/local/bin");
    for (String dir : dirs) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) return candidate;
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Starts (again) on the same port and directory, and returns once it accepts connections. */
  synchronized void restart() {
    if (process != null && process.isAlive()) throw new IllegalStateException("already running");
    List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
        "--daemonize", "no", "--loglevel", "notice"));
    command.addAll(extraArgs);
    Process started;
    try {
      started = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    process = started;
    // Ready when the server says so (no polling); the thread then keeps draining its output.
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.contains("Ready to accept connections")) ready.complete(null);
        }
      } catch (IOException ignored) {
        // The process ended.
      }
      ready.completeExceptionally(new IllegalStateException("redis-server on port " + port + " exited"));
    }, "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(15, TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      started.destroyForcibly();
      throw new IllegalStateException("redis-server did not start on port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  synchronized void kill() {
    Process running = process;
    if (running == null) return;
    running.destroyForcibly();
    try {
      running.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** A plain client for assertions and for pausing the server. */
  RedisClient client() {
    return RedisClient.create("127.0.0.1", port);
  }

  @Override
  public void close() {
    kill();
  }
}
