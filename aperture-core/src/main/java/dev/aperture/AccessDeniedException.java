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
  private final AccessDecision.Denial denial;

  public AccessDeniedException(Caller caller, String model) {
    this(caller, model, null);
  }

  /** With {@code hint}, a sentence on how to fix it, appended to the message. */
  public AccessDeniedException(Caller caller, String model, @Nullable String hint) {
    this(caller, model, AccessDecision.Denial.NOT_GRANTED, hint);
  }

  /** Refused for {@code denial}; {@code hint}, if any, is appended to the message. */
  public AccessDeniedException(Caller caller, String model, AccessDecision.Denial denial, @Nullable String hint) {
    super((caller.isAnonymous() ? "the anonymous caller" : "caller '" + caller.login() + "'")
        + (denial == AccessDecision.Denial.NO_ROLE
            ? " has no role (user or admin) from any grant, so it may not call model '" + model + "'"
            : " is not granted model '" + model + "'")
        + (hint != null ? ": " + hint : ""));
    this.caller = caller;
    this.model = model;
    this.denial = denial;
  }

  /**
   * Why: {@link AccessDecision.Denial#NOT_GRANTED} (a gateway answers 404, as for an unknown model),
   * {@link AccessDecision.Denial#NO_ROLE} (Aperture answers 403) or {@link AccessDecision.Denial#NO_GRANTS}.
   */
  public AccessDecision.Denial denial() {
    return denial;
  }

  public Caller caller() {
    return caller;
  }

  /** The model as the caller asked for it. */
  public String model() {
    return model;
  }
}
