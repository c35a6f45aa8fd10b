package dev.aperture;

import dev.aperture.internal.AllowAllPolicy;

/**
 * May this caller use this route? Implementations must deny by default. The configured policy applies
 * Aperture's grants; {@link #allowAll()} is for applications without grants.
 */
public interface AccessPolicy {
  boolean allows(Caller caller, Route route);

  /** Every caller may use every model. */
  static AccessPolicy allowAll() {
    return AllowAllPolicy.INSTANCE;
  }
}
