package dev.aperture.gateway;

import dev.aperture.Redactor;
import dev.aperture.Router;
import dev.aperture.gateway.internal.GatewaySettings;
import dev.aperture.gateway.internal.NettyGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-compatible HTTP gateway in front of a {@link Router}: coding tools and OpenAI clients point
 * their base URL at it and get the configuration's models, grants and keys.
 *
 * <pre>{@code
 * ApertureGateway gateway = ApertureGateway.builder()
 *     .router(router)
 *     .port(8787)
 *     .redactor(config.redactor())
 *     .build();
 * gateway.start();
 * ...
 * gateway.close(); // refuses new calls with 503, lets calls in flight finish, then stops
 * }</pre>
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (plain and streamed), {@code GET /v1/models},
 * {@code POST /v1/responses} (each also without {@code /v1}), and {@code GET /healthz} (200, or 503
 * while stopping).
 *
 * <p><b>Who calls.</b> The caller is whoever the fronting authenticating proxy names in
 * {@link #LOGIN_HEADER}: {@code tailscale serve} sets it for tailnet users and strips any copy the client
 * sent. Without it the caller is anonymous and only {@code "*"} grants apply. The gateway trusts that
 * header, which is why it listens on loopback by default: put the proxy in front and nothing else.
 * {@link #GROUPS_HEADER} and {@link #TAGS_HEADER} count only with
 * {@link Builder#trustGroupAndTagHeaders(boolean)}. A request with more than one value of an identity
 * header it honours is refused with 400. Clients' own {@code Authorization} headers and keys are
 * ignored: the providers use their configured keys.
 *
 * <p><b>Slow and hostile clients.</b> Connections are served by a few non-blocking I/O threads; no
 * thread waits for a client. Every limit is an option of this server (nothing is JVM-wide): request
 * header size, body size, time to send the whole request, idle time between requests, time for the whole
 * response, how long a response may wait for a client that does not read, concurrent streams, and
 * connections. The Router's calls, which block, run on a bounded pool of worker threads; when it and its
 * queue are full a call is answered 503 at once. A stream is written one chunk at a time: when the client
 * stops reading, the next chunk is not pulled from the provider (so the upstream pauses too) and no thread
 * waits; if the client still has not read after {@link Builder#writeStallTimeout}, the stream is cancelled
 * upstream and the connection closed.
 *
 * <p>Errors are OpenAI-shaped ({@code {"error": {"message", "type", "code"}}}); unknown and ungranted
 * models are both 404 with the same message; a rate limit or quota refusal is 429 with
 * {@code Retry-After}; a guardrail block is the hook's status with type {@code guardrail_blocked}. Every
 * error message passes through the {@link Builder#redactor}.
 *
 * <p>Thread-safe. Start it once; {@link #close()} stops it for good.
 */
public final class ApertureGateway implements AutoCloseable {
  /** The caller's login, as Tailscale serve and similar proxies set it. */
  public static final String LOGIN_HEADER = "Tailscale-User-Login";
  /**
   * The caller's groups, comma-separated, with or without the {@code group:} prefix; honoured only with
   * {@link Builder#trustGroupAndTagHeaders(boolean)}.
   */
  public static final String GROUPS_HEADER = "Aperture-User-Groups";
  /**
   * The caller's tags, comma-separated, with or without the {@code tag:} prefix; honoured only with
   * {@link Builder#trustGroupAndTagHeaders(boolean)}.
   */
  public static final String TAGS_HEADER = "Aperture-User-Tags";
  /** The header whose value becomes the call's session id (hooks' {@code metadata.session_id}) by default. */
  public static final String DEFAULT_SESSION_HEADER = "X-Session-Id";
  /** The port when none is set. */
  public static final int DEFAULT_PORT = 8787;

  private final NettyGateway server;

  private ApertureGateway(GatewaySettings settings) {
    this.server = new NettyGateway(settings);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the listening socket and starts serving. Throws {@link IOException} if the address cannot be
   * bound, or {@link IllegalStateException} if called twice.
   */
  public void start() throws IOException {
    server.start();
  }

  /** The bound port (useful with port 0); throws {@link IllegalStateException} before {@link #start()}. */
  public int port() {
    return server.address().getPort();
  }

  /** The bound address; throws {@link IllegalStateException} before {@link #start()}. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The OpenAI base URL clients use, such as {@code http://127.0.0.1:8787/v1}. */
  public String baseUrl() {
    InetSocketAddress address = address();
    String host = address.getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    return "http://" + host + ":" + address.getPort() + "/v1";
  }

  /** Calls being served right now: from the complete request to the last byte of the response. */
  public int callsInFlight() {
    return server.callsInFlight();
  }

  /**
   * Stops gracefully: from now on new requests (and {@code /healthz}) are answered 503 and idle
   * connections are closed; calls in flight may finish for up to {@code grace}; then every connection
   * is closed (cancelling streams still running upstream) and the threads stop. Returns true if every
   * call in flight finished within {@code grace}. Idempotent.
   */
  public boolean shutdown(Duration grace) {
    Objects.requireNonNull(grace, "grace == null");
    return server.shutdown(grace);
  }

  /** {@link #shutdown(Duration)} with the builder's {@link Builder#shutdownTimeout}. */
  @Override
  public void close() {
    server.shutdown(server.settings().shutdownTimeout());
  }

  @Override
  public String toString() {
    return "ApertureGateway{" + server + "}";
  }

  /** Configures an {@link ApertureGateway}. Only {@link #router} is required. */
  public static final class Builder {
    private @Nullable Router router;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port = DEFAULT_PORT;
    private boolean trustGroupAndTagHeaders;
    private String sessionHeader = DEFAULT_SESSION_HEADER;
    private Redactor redactor = Redactor.none();
    private int maxHeaderSize = 16 * 1024;
    private long maxBodySize = 4L * 1024 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration responseTimeout = Duration.ofSeconds(600);
    private Duration writeStallTimeout = Duration.ofSeconds(30);
    private int workerThreads = 128;
    private int maxQueuedCalls = 256;
    private int maxConcurrentStreams = 96;
    private int maxConnections = 10_000;
    private int ioThreads = 0;
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    Builder() {
    }

    /** The Router every call goes through. Required. */
    public Builder router(Router router) {
      this.router = Objects.requireNonNull(router, "router == null");
      return this;
    }

    /**
     * The address to listen on; loopback by default. Anything else lets clients reach the gateway
     * without the authenticating proxy, and so claim any {@link #LOGIN_HEADER}.
     */
    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress == null");
      return this;
    }

    /** The port; 0 for any free one. Default {@value #DEFAULT_PORT}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      this.port = port;
      return this;
    }

    /**
     * Honour {@link #GROUPS_HEADER} and {@link #TAGS_HEADER}. Only when the proxy in front both sets these
     * headers and strips any copy a client sent: otherwise any client gets the grants of whatever group
     * it names. Off by default.
     */
    public Builder trustGroupAndTagHeaders(boolean trust) {
      this.trustGroupAndTagHeaders = trust;
      return this;
    }

    /** The request header that carries the client's session id; default {@value #DEFAULT_SESSION_HEADER}. */
    public Builder sessionHeader(String sessionHeader) {
      Objects.requireNonNull(sessionHeader, "sessionHeader == null");
      if (sessionHeader.isBlank()) throw new IllegalArgumentException("sessionHeader is blank");
      this.sessionHeader = sessionHeader;
      return this;
    }

    /**
     * Hides secrets in every error message the gateway sends or logs: pass the configuration's
     * redactor, so that an upstream quoting a key or an {@code add_headers} value back never shows it to
     * a client. None by default.
     */
    public Builder redactor(Redactor redactor) {
      this.redactor = Objects.requireNonNull(redactor, "redactor == null");
      return this;
    }

    /** The most bytes of request line and headers; larger requests get 431. Default 16 KiB. */
    public Builder maxHeaderSize(int bytes) {
      if (bytes < 1024) throw new IllegalArgumentException("maxHeaderSize < 1024: " + bytes);
      this.maxHeaderSize = bytes;
      return this;
    }

    /** The largest request body; larger ones get 400 {@code request_too_large}. Default 4 MiB. */
    public Builder maxBodySize(long bytes) {
      if (bytes < 0 || bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("maxBodySize out of range: " + bytes);
      this.maxBodySize = bytes;
      return this;
    }

    /** How long a connection may sit between requests before it is closed. Default 60 s. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive(timeout, "idleTimeout");
      return this;
    }

    /**
     * How long a client has from the first byte of a request to its last (headers and body); then it gets
     * 408 and the connection is closed. Bounds clients that trickle. Default 30 s.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * How long a response may take from the end of the request to its last byte, streams included; then
     * a plain call gets 504 and a stream is cancelled and its connection closed. Default 600 s.
     */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = positive(timeout, "responseTimeout");
      return this;
    }

    /**
     * How long a response may wait for a client that does not read it: the stream is paused (no chunk is
     * pulled from the provider meanwhile), then cancelled upstream and the connection closed. Default 30 s.
     */
    public Builder writeStallTimeout(Duration timeout) {
      this.writeStallTimeout = positive(timeout, "writeStallTimeout");
      return this;
    }

    /** How many Router calls may block at once (the worker threads). Default 128. */
    public Builder workerThreads(int threads) {
      if (threads < 1) throw new IllegalArgumentException("workerThreads < 1: " + threads);
      this.workerThreads = threads;
      return this;
    }

    /** How many calls may wait for a worker; beyond that they get 503 at once. Default 256. */
    public Builder maxQueuedCalls(int calls) {
      if (calls < 0) throw new IllegalArgumentException("maxQueuedCalls < 0: " + calls);
      this.maxQueuedCalls = calls;
      return this;
    }

    /**
     * How many streams may run at once; beyond that a streamed call gets 503. Keep it under
     * {@link #workerThreads} so that plain calls always find a worker. Default 96.
     */
    public Builder maxConcurrentStreams(int streams) {
      if (streams < 1) throw new IllegalArgumentException("maxConcurrentStreams < 1: " + streams);
      this.maxConcurrentStreams = streams;
      return this;
    }

    /** How many client connections may be open at once; further ones are closed on accept. Default 10,000. */
    public Builder maxConnections(int connections) {
      if (connections < 1) throw new IllegalArgumentException("maxConnections < 1: " + connections);
      this.maxConnections = connections;
      return this;
    }

    /** Non-blocking I/O threads; 0 (the default) for one per available processor. */
    public Builder ioThreads(int threads) {
      if (threads < 0) throw new IllegalArgumentException("ioThreads < 0: " + threads);
      this.ioThreads = threads;
      return this;
    }

    /** How long {@link ApertureGateway#close()} lets calls in flight finish. Default 10 s. */
    public Builder shutdownTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "shutdownTimeout == null");
      if (timeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout < 0");
      this.shutdownTimeout = timeout;
      return this;
    }

    /** A gateway with these settings, not yet started. */
    public ApertureGateway build() {
      if (router == null) throw new IllegalStateException("router is required");
      return new ApertureGateway(new GatewaySettings(router, bindAddress, port, trustGroupAndTagHeaders,
          sessionHeader, redactor, maxHeaderSize, (int) maxBodySize, idleTimeout, requestTimeout,
          responseTimeout, writeStallTimeout, workerThreads, maxQueuedCalls, maxConcurrentStreams,
          maxConnections, ioThreads, shutdownTimeout));
    }

    private static Duration positive(Duration timeout, String name) {
      Objects.requireNonNull(timeout, name + " == null");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException(name + " must be positive");
      return timeout;
    }
  }
}
