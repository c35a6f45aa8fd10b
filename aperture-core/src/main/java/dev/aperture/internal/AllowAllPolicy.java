package dev.aperture.internal;

import dev.aperture.AccessDecision;
import dev.aperture.AccessPolicy;
import dev.aperture.Caller;
import dev.aperture.Route;

/** Every caller may use every model, with no quotas, hooks or headers. */
public enum AllowAllPolicy implements AccessPolicy {
  INSTANCE;

  @Override
  public boolean allows(Caller caller, Route route) {
    return true;
  }

  @Override
  public AccessDecision decide(Caller caller, Route route) {
    return AccessDecision.allowAll();
  }

  @Override
  public String toString() {
    return "AccessPolicy.allowAll()";
  }
}
