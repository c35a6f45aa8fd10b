package dev.aperture;

/**
 * The caller is not granted the model. Aperture's gateway answers "not found" for this too, so as not to
 * reveal which models exist; an application that faces untrusted clients should do the same (the
 * examples' gateway does).
 */
public final class AccessDeniedException extends ApertureException {
  private final Caller caller;
  private final String model;

  public AccessDeniedException(Caller caller, String model) {
    super("caller '" + caller.login() + "' is not granted model '" + model + "'");
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
