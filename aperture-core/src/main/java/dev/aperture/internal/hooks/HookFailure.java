package dev.aperture.internal.hooks;

import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.ApertureException;
import dev.aperture.HookFailedException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A hook that could not be asked, or whose answer could not be used. {@link #reason()} says what went
 * wrong in words, never the hook's key nor any request or response content.
 *
 * @param refused true if the failure refuses the call ({@code pre_request} and {@code fail_closed});
 *     post-response failures never do
 */
public record HookFailure(String hook, HookEvent event, Kind kind, String reason, boolean refused,
    @Nullable Throwable cause) {
  /** What kind of failure. */
  public enum Kind {
    /** The connection could not be made or broke. */
    UNREACHABLE,
    /** It answered a status other than 2xx. */
    HTTP_STATUS,
    /** Its answer was not JSON (or was empty, or too large). */
    INVALID_JSON,
    /** Its answer was JSON but not a usable {@code GuardrailResponse}. */
    WRONG_SHAPE,
    /** It did not answer within its timeout. */
    TIMEOUT,
    /** An in-process hook threw, or returned null. */
    HANDLER_FAILED,
    /** Too many in-process hook calls are running at once to start another. */
    OVERLOADED,
    /** The calling thread was interrupted while waiting for the hook. */
    INTERRUPTED
  }

  public HookFailure {
    Objects.requireNonNull(hook, "hook == null");
    Objects.requireNonNull(event, "event == null");
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(reason, "reason == null");
  }

  /** True if the call went on without this hook. */
  public boolean failOpen() {
    return !refused;
  }

  /**
   * The failure as an exception: a {@link HookFailedException} (a gateway answers 503) when it refuses the
   * call, otherwise an {@link ApertureException} saying the hook was skipped, for event listeners.
   */
  public ApertureException toException() {
    if (refused) return new HookFailedException(hook, reason, cause);
    return new ApertureException("hook '" + hook + "' (" + event.wireName() + ") failed and was skipped: "
        + reason, cause);
  }
}
