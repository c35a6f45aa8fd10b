package dev.aperture;

import org.jspecify.annotations.Nullable;

/**
 * The caller is not granted the model. Aperture's gateway answers "not found" for this too, so as not to
 * reveal which models exist; an application that faces untrusted clients should do the same (the
 * examples' gateway does).
 */
public final class AccessDeniedException extends ApertureException {
  private final Caller caller;
  private final String model;

  public AccessDeniedException(Caller caller, String model) {
    this(caller, model, null);
  }

  /** With {@code hint}, a sentence on how to fix it, appended to the message. */
  public AccessDeniedException(Caller caller, String model, @Nullable String hint) {
    super((caller.isAnonymous() ? "the anonymous caller" : "caller '" + caller.login() + "'")
        + " is not granted model '" + model + "'" + (hint != null ? ": " + hint : ""));
    this.caller = caller;
    this.model = model;
  }

  public Caller caller() {
    return caller;
  }

  /** The model as the caller asked for it. */
  public String model() {
    return model;
  }
}
