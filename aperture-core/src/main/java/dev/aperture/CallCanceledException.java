package dev.aperture;

/**
 * The caller ended the call before it completed: a stream closed before its end, or an asynchronous call's
 * future cancelled. Reported to {@link EventListener#callFailed}; what the call had cost so far is still
 * charged to its quotas.
 */
public final class CallCanceledException extends ApertureException {
  public CallCanceledException(String message) {
    super(message);
  }
}
