package dev.aperture.config;

import dev.aperture.ApiKey;
import dev.aperture.HookOptions;
import dev.aperture.Redactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code hooks}: a webhook endpoint Aperture calls when a matching grant wires it with
 * {@code send_hooks}. Fields and defaults as Aperture's: {@code url} (http or https, required),
 * {@code apikey} ({@code ${VAR}} resolved), {@code authorization} ({@code bearer}), {@code timeout} (a Go
 * duration, {@code 5s}; {@code 0} for none), {@code disabled} (false), {@code fail_policy}
 * ({@code fail_open}), {@code preference} (0; higher runs first, ties by name).
 *
 * <p>A hook loaded with a warning (no {@code url}, a bad scheme, an unknown authorization) is kept but
 * not {@link #usable()}: it is never called, as in Aperture. {@link #toString()} hides the key and any
 * credentials in the URL.
 */
public final class Hook {
  /** The default {@code timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final String url;
  private final ApiKey apiKey;
  private final Authorization authorization;
  private final Duration timeout;
  private final boolean disabled;
  private final boolean failClosed;
  private final int preference;
  private final @Nullable String unusableReason;

  private Hook(Builder builder) {
    this.name = Objects.requireNonNull(builder.name, "name == null");
    this.url = builder.url;
    this.apiKey = builder.apiKey;
    this.authorization = builder.authorization;
    this.timeout = builder.timeout;
    this.disabled = builder.disabled;
    this.failClosed = builder.failClosed;
    this.preference = builder.preference;
    this.unusableReason = builder.unusableReason != null ? builder.unusableReason
        : (url.isEmpty() ? "no url" : null);
  }

  /** A hook named {@code name} with Aperture's defaults and no URL yet. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder initialised from this hook. */
  public Builder newBuilder() {
    Builder builder = new Builder(name);
    builder.url = url;
    builder.apiKey = apiKey;
    builder.authorization = authorization;
    builder.timeout = timeout;
    builder.disabled = disabled;
    builder.failClosed = failClosed;
    builder.preference = preference;
    builder.unusableReason = unusableReason;
    return builder;
  }

  /** The hook's key in {@code hooks}, which {@code send_hooks} entries name. */
  public String name() {
    return name;
  }

  /** {@code url}, as written; empty when missing. May carry credentials: do not log it. */
  public String url() {
    return url;
  }

  /** {@code apikey}; {@link ApiKey#none()} when absent. */
  public ApiKey apiKey() {
    return apiKey;
  }

  /** How {@link #apiKey()} is sent. */
  public Authorization authorization() {
    return authorization;
  }

  /** How long one call may take; {@link Duration#ZERO} for no limit. */
  public Duration timeout() {
    return timeout;
  }

  /** {@code disabled}: the hook is never called. */
  public boolean disabled() {
    return disabled;
  }

  /** {@code fail_policy} is {@code fail_open} (the default): a failing hook is skipped. */
  public boolean failOpen() {
    return !failClosed;
  }

  /** {@code fail_policy} is {@code fail_closed}: a failing {@code pre_request} hook refuses the call. */
  public boolean failClosed() {
    return failClosed;
  }

  /** Chain order: higher first, then by name. */
  public int preference() {
    return preference;
  }

  /** Whether the hook can be called: loaded without a defect that stops it. {@link #disabled()} aside. */
  public boolean usable() {
    return unusableReason == null;
  }

  /** Why the hook cannot be called (such as {@code no url}), or null when {@link #usable()}. */
  public @Nullable String unusableReason() {
    return unusableReason;
  }

  /** The run options an in-process stage needs: preference, fail policy, timeout. */
  public HookOptions options() {
    return HookOptions.builder().preference(preference).failClosed(failClosed).timeout(timeout).build();
  }

  /** Hides this hook's key and any credentials in its URL. */
  public Redactor redactor() {
    List<String> secrets = new ArrayList<>();
    if (!apiKey.isEmpty()) secrets.add(apiKey.reveal());
    secrets.addAll(Secrets.userInfo(url));
    return Secrets.redactor(secrets);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Hook that && name.equals(that.name) && url.equals(that.url)
        && apiKey.equals(that.apiKey) && authorization == that.authorization
        && timeout.equals(that.timeout) && disabled == that.disabled && failClosed == that.failClosed
        && preference == that.preference && Objects.equals(unusableReason, that.unusableReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, url, apiKey, authorization, timeout, disabled, failClosed, preference);
  }

  /** Every field but secrets: the key and URL credentials are hidden. */
  @Override
  public String toString() {
    return "Hook{" + name + ", url=" + Secrets.hideUserInfo(url) + ", apiKey=" + apiKey
        + ", authorization=" + authorization.wireName() + ", timeout=" + timeout
        + ", fail_policy=" + (failClosed ? "fail_closed" : "fail_open") + ", preference=" + preference
        + (disabled ? ", disabled" : "") + (unusableReason != null ? ", unusable: " + unusableReason : "")
        + "}";
  }

  /** Builds a {@link Hook}. */
  public static final class Builder {
    private final String name;
    private String url = "";
    private ApiKey apiKey = ApiKey.none();
    private Authorization authorization = Authorization.BEARER;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean disabled;
    private boolean failClosed;
    private int preference;
    private @Nullable String unusableReason;

    Builder(String name) {
      this.name = Objects.requireNonNull(name, "name == null");
    }

    /** The endpoint, http or https. */
    public Builder url(String url) {
      this.url = Objects.requireNonNull(url, "url == null");
      return this;
    }

    public Builder apiKey(ApiKey apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
      return this;
    }

    public Builder authorization(Authorization authorization) {
      this.authorization = Objects.requireNonNull(authorization, "authorization == null");
      return this;
    }

    /** Zero for none; must not be negative. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative()) throw new IllegalArgumentException("timeout < 0");
      this.timeout = timeout;
      return this;
    }

    public Builder disabled(boolean disabled) {
      this.disabled = disabled;
      return this;
    }

    /** {@code fail_closed} (true) or {@code fail_open} (false, the default). */
    public Builder failClosed(boolean failClosed) {
      this.failClosed = failClosed;
      return this;
    }

    public Builder preference(int preference) {
      this.preference = preference;
      return this;
    }

    /** Marks the hook as not callable for {@code reason}; null clears it. */
    public Builder unusable(@Nullable String reason) {
      this.unusableReason = reason;
      return this;
    }

    public Hook build() {
      return new Hook(this);
    }
  }
}
