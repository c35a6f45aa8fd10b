package dev.aperture.examples.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okio.Buffer;

/**
 * Small helpers over the JDK's {@link HttpServer}: a bounded loopback server, bounded bodies, replies.
 *
 * <p>The JDK server has no time limits by default, so a client that sends its headers and part of a body
 * and then stalls holds a handler thread forever, and one that stops reading a response blocks the
 * handler's write forever. Its only limits are the JVM-wide system properties {@value
 * #MAX_REQUEST_TIME_PROPERTY} and {@value #MAX_RESPONSE_TIME_PROPERTY} (seconds), read once when the
 * first server in the JVM is created. {@link #loopbackServer} sets them to {@link
 * #DEFAULT_MAX_REQUEST_TIME} and {@link #DEFAULT_MAX_RESPONSE_TIME} first unless the application already
 * has: set them yourself ({@code -D...} or {@link System#setProperty}) before the first server to change
 * them.
 */
public final class Http {
  private static final System.Logger LOG = System.getLogger(Http.class.getName());
  private static final ThreadLocal<Boolean> OVERLOADED = ThreadLocal.withInitial(() -> false);

  /**
   * Seconds a client has to send its whole request, headers and body; then the server closes the
   * connection. The JDK checks once a second, so the cut comes up to a second later.
   */
  public static final String MAX_REQUEST_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
  /**
   * Seconds a response may take from the end of the request until it is fully sent, streams included;
   * then the server closes the connection, which fails the handler's next write.
   */
  public static final String MAX_RESPONSE_TIME_PROPERTY = "sun.net.httpserver.maxRspTime";
  /**
   * Whether the server sets TCP_NODELAY on its sockets. Off by default in the JDK, which makes every
   * small response wait out the client's delayed ACK (about 40 ms on Linux): on for the gateway.
   */
  public static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
  /** Generous for a prompt of a few MiB over a slow link; short enough that stalled clients let go. */
  public static final long DEFAULT_MAX_REQUEST_TIME = 30;
  /** Long enough for a long streamed completion; bounds a client that stopped reading. */
  public static final long DEFAULT_MAX_RESPONSE_TIME = 600;

  private Http() {
  }

  /**
   * A server on 127.0.0.1 ({@code port} 0 for a random one) whose handlers run on at most {@code threads}
   * threads with at most {@code queue} exchanges waiting. Beyond that an exchange runs at once on the
   * accepting thread with {@link #isOverloaded()} true, so its handler can answer 503 without blocking.
   * (The JDK still reads that request's headers, and drains its body on close, on the accepting thread:
   * a refused client that stalls holds it until {@link #MAX_REQUEST_TIME_PROPERTY} cuts it off.)
   */
  public static HttpServer loopbackServer(int port, int threads, int queue, String name) throws IOException {
    applyServerDefaults(System.getProperties());
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threadFactory = runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(queue), threadFactory, (runnable, pool) -> {
          OVERLOADED.set(true);
          try {
            runnable.run();
          } finally {
            OVERLOADED.set(false);
          }
        });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    return server;
  }

  /**
   * Sets {@link #MAX_REQUEST_TIME_PROPERTY}, {@link #MAX_RESPONSE_TIME_PROPERTY} and
   * {@link #NODELAY_PROPERTY} in {@code properties} to the defaults where they are not set. Takes effect only before the JVM's first {@link HttpServer}.
   */
  static void applyServerDefaults(Properties properties) {
    synchronized (properties) {
      if (properties.getProperty(MAX_REQUEST_TIME_PROPERTY) == null) {
        properties.setProperty(MAX_REQUEST_TIME_PROPERTY, Long.toString(DEFAULT_MAX_REQUEST_TIME));
      }
      if (properties.getProperty(MAX_RESPONSE_TIME_PROPERTY) == null) {
        properties.setProperty(MAX_RESPONSE_TIME_PROPERTY, Long.toString(DEFAULT_MAX_RESPONSE_TIME));
      }
      if (properties.getProperty(NODELAY_PROPERTY) == null) {
        properties.setProperty(NODELAY_PROPERTY, "true");
      }
    }
    LOG.log(System.Logger.Level.DEBUG, () -> "HTTP server limits: request "
        + properties.getProperty(MAX_REQUEST_TIME_PROPERTY) + " s, response "
        + properties.getProperty(MAX_RESPONSE_TIME_PROPERTY) + " s");
  }

  /** True while a handler runs for an exchange the server had no room for. */
  public static boolean isOverloaded() {
    return OVERLOADED.get();
  }

  /** Stops {@code server} and its executor. */
  public static void stop(HttpServer server) {
    server.stop(0);
    if (server.getExecutor() instanceof ExecutorService executor) executor.shutdownNow();
  }

  /** Thrown by {@link #readBody} when a body is larger than allowed. */
  public static final class BodyTooLargeException extends IOException {
    public BodyTooLargeException(long limit) {
      super("request body is larger than " + limit + " bytes");
    }
  }

  /** Past the limit, up to this many bytes are still read (and dropped) so the client sees the 400. */
  private static final long MAX_DRAIN = 64L * 1024 * 1024;

  /**
   * Reads the request body; throws {@link BodyTooLargeException} if it exceeds {@code limit} bytes. An
   * oversized body is drained (up to 64 MiB) rather than left unread, so that the client, still busy
   * sending, reads the error response instead of a reset connection.
   */
  public static Buffer readBody(HttpExchange exchange, long limit) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException ignored) {
        // The server itself rejects a malformed Content-Length; count the bytes instead.
      }
    }
    InputStream in = exchange.getRequestBody();
    if (declared > MAX_DRAIN) throw new BodyTooLargeException(limit);
    Buffer body = new Buffer();
    byte[] chunk = new byte[8192];
    for (int n; (n = in.read(chunk)) != -1; ) {
      if (body.size() + n > limit) {
        drain(in, chunk, MAX_DRAIN - body.size() - n);
        throw new BodyTooLargeException(limit);
      }
      body.write(chunk, 0, n);
    }
    return body;
  }

  private static void drain(InputStream in, byte[] scratch, long max) throws IOException {
    for (long total = 0; total < max; ) {
      int n = in.read(scratch);
      if (n == -1) return;
      total += n;
    }
  }

  /** Sends a complete JSON response and closes the exchange. */
  public static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Starts a Server-Sent Events response: 200, chunked, no caching. */
  public static OutputStream startEventStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /** Writes one SSE line group (such as {@code data: {...}}) and flushes it to the client at once. */
  public static void sendEvent(OutputStream out, String lines) throws IOException {
    out.write((lines + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
