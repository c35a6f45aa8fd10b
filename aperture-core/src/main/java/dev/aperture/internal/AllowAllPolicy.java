package dev.aperture.internal;

import dev.aperture.AccessPolicy;
import dev.aperture.Caller;
import dev.aperture.Route;

public enum AllowAllPolicy implements AccessPolicy {
  INSTANCE;

  @Override
  public boolean allows(Caller caller, Route route) {
    return true;
  }

  @Override
  public String toString() {
    return "AccessPolicy.allowAll()";
  }
}
