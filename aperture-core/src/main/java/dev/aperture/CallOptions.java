package dev.aperture;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-call settings that are not part of the request body: the call's deadline and the request metadata
 * that hooks receive ({@code user_agent}, {@code session_id}, {@code url}, {@code request_id}).
 *
 * <pre>{@code
 * router.chat(caller, request, CallOptions.builder().timeout(Duration.ofSeconds(20)).sessionId(id).build());
 * }</pre>
 */
public final class CallOptions {
  private static final CallOptions DEFAULTS = new Builder().build();

  private final @Nullable Duration timeout;
  private final String userAgent;
  private final String sessionId;
  private final String url;
  private final @Nullable String requestId;

  private CallOptions(Builder builder) {
    this.timeout = builder.timeout;
    this.userAgent = builder.userAgent;
    this.sessionId = builder.sessionId;
    this.url = builder.url;
    this.requestId = builder.requestId;
  }

  /** No deadline of its own (the Router's default applies) and no request metadata. */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder builder = new Builder();
    builder.timeout = timeout;
    builder.userAgent = userAgent;
    builder.sessionId = sessionId;
    builder.url = url;
    builder.requestId = requestId;
    return builder;
  }

  /**
   * The whole call's deadline, shared by every attempt and fallback and by a stream's wait for its first
   * content; null for the Router's default ({@link Router.Builder#callTimeout}).
   */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** The client's user agent, for hooks' {@code metadata.user_agent}; empty if unknown. */
  public String userAgent() {
    return userAgent;
  }

  /** The client's session id, for hooks' {@code metadata.session_id}; empty if unknown. */
  public String sessionId() {
    return sessionId;
  }

  /** The URL the client called (a gateway's request URL), for hooks' {@code metadata.url}; empty if none. */
  public String url() {
    return url;
  }

  /** The request id hooks and events see; null for a fresh random one per call. */
  public @Nullable String requestId() {
    return requestId;
  }

  @Override
  public String toString() {
    return "CallOptions{timeout=" + timeout + ", userAgent=" + userAgent + ", sessionId=" + sessionId
        + ", requestId=" + requestId + "}";
  }

  /** Builds {@link CallOptions}. */
  public static final class Builder {
    private @Nullable Duration timeout;
    private String userAgent = "";
    private String sessionId = "";
    private String url = "";
    private @Nullable String requestId;

    Builder() {
    }

    /** The whole call's deadline; must be positive. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
      this.timeout = timeout;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent == null");
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = Objects.requireNonNull(sessionId, "sessionId == null");
      return this;
    }

    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url == null");
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = Objects.requireNonNull(requestId, "requestId == null");
      return this;
    }

    public CallOptions build() {
      return new CallOptions(this);
    }
  }
}
