package dev.aperture;

import java.time.Duration;
import java.util.Objects;

/**
 * How an in-process {@link HookHandler} is run: the fields a configuration's {@code hooks} entry gives a
 * webhook. Defaults as Aperture's: preference 0, {@code fail_open}, a 5 s timeout.
 */
public final class HookOptions {
  private static final HookOptions DEFAULTS = new Builder().build();

  private final int preference;
  private final boolean failClosed;
  private final Duration timeout;

  private HookOptions(Builder builder) {
    this.preference = builder.preference;
    this.failClosed = builder.failClosed;
    this.timeout = builder.timeout;
  }

  public static HookOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().preference(preference).failClosed(failClosed).timeout(timeout);
  }

  /** Chain order among {@code pre_request} hooks: higher first, ties by name. */
  public int preference() {
    return preference;
  }

  /** {@code fail_closed}: a failure refuses the call. Otherwise ({@code fail_open}) it is skipped. */
  public boolean failClosed() {
    return failClosed;
  }

  /** How long one call of the hook may take; {@link Duration#ZERO} for no limit. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "HookOptions{preference=" + preference + ", " + (failClosed ? "fail_closed" : "fail_open")
        + ", timeout=" + timeout + "}";
  }

  /** Builds {@link HookOptions}. */
  public static final class Builder {
    private int preference;
    private boolean failClosed;
    private Duration timeout = Duration.ofSeconds(5);

    Builder() {
    }

    public Builder preference(int preference) {
      this.preference = preference;
      return this;
    }

    public Builder failClosed(boolean failClosed) {
      this.failClosed = failClosed;
      return this;
    }

    /** Zero for none; must not be negative. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative");
      this.timeout = timeout;
      return this;
    }

    public HookOptions build() {
      return new HookOptions(this);
    }
  }
}
