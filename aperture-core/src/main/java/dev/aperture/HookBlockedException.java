package dev.aperture;

import java.util.Objects;

/**
 * A {@code pre_request} hook blocked the call: no provider was called. A gateway answers with
 * {@link #statusCode()} and {@code {"error": {"message": ..., "type": "guardrail_blocked"}}}.
 */
public final class HookBlockedException extends ApertureException {
  private final String hook;
  private final int statusCode;
  private final String hookMessage;

  public HookBlockedException(String hook, int statusCode, String hookMessage) {
    super("blocked by hook '" + hook + "'" + (hookMessage.isEmpty() ? "" : ": " + hookMessage));
    this.hook = Objects.requireNonNull(hook, "hook == null");
    this.statusCode = statusCode;
    this.hookMessage = hookMessage;
  }

  public String hook() {
    return hook;
  }

  /** The status the hook asked for; 403 when it gave none. */
  public int statusCode() {
    return statusCode;
  }

  /** The hook's own message, as it sent it. */
  public String hookMessage() {
    return hookMessage;
  }
}
