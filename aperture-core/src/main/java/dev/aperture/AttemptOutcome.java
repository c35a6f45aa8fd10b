package dev.aperture;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the Router does after an attempt failed: retry the same route after a delay, fail over to the
 * next route, or give up and fail the call. Reported by {@link EventListener#attemptFailed}.
 */
public final class AttemptOutcome {
  /** The decision taken. */
  public enum Kind {
    RETRY,
    FAIL_OVER,
    GIVE_UP
  }

  private static final AttemptOutcome GIVE_UP = new AttemptOutcome(Kind.GIVE_UP, Duration.ZERO, null);

  private final Kind kind;
  private final Duration delay;
  private final @Nullable Route next;

  private AttemptOutcome(Kind kind, Duration delay, @Nullable Route next) {
    this.kind = kind;
    this.delay = delay;
    this.next = next;
  }

  public static AttemptOutcome retry(Duration delay) {
    return new AttemptOutcome(Kind.RETRY, Objects.requireNonNull(delay, "delay == null"), null);
  }

  public static AttemptOutcome failOver(Route next) {
    return new AttemptOutcome(Kind.FAIL_OVER, Duration.ZERO, Objects.requireNonNull(next, "next == null"));
  }

  public static AttemptOutcome giveUp() {
    return GIVE_UP;
  }

  public Kind kind() {
    return kind;
  }

  /** How long before the retry; zero unless {@link Kind#RETRY}. */
  public Duration delay() {
    return delay;
  }

  /** The route failed over to; null unless {@link Kind#FAIL_OVER}. */
  public @Nullable Route next() {
    return next;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case RETRY -> "retry after " + delay.toMillis() + " ms";
      case FAIL_OVER -> "fail over to " + Objects.requireNonNull(next).qualifiedName();
      case GIVE_UP -> "give up";
    };
  }
}
