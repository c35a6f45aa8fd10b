package dev.aperture;

import dev.aperture.internal.AllowAllPolicy;

/**
 * Resolves what a caller may do with a route. Implementations must deny by default. The configured policy
 * applies Aperture's grants; {@link #allowAll()} is for applications without grants.
 *
 * <p>A policy that only answers yes or no implements {@link #allows} alone (a lambda will do); override
 * {@link #decide} as well to give quotas, hooks and headers.
 */
@FunctionalInterface
public interface AccessPolicy {
  /** Whether {@code caller} may call {@code route} at all. */
  boolean allows(Caller caller, Route route);

  /**
   * The resolved decision for {@code caller} and {@code route}: allowed or not (and why), role, quota
   * buckets, hooks, headers, custom capabilities. Called on every call: implementations should cache.
   * The default derives an allow-or-deny decision without governance from {@link #allows}.
   */
  default AccessDecision decide(Caller caller, Route route) {
    return allows(caller, route) ? AccessDecision.allowAll()
        : AccessDecision.denied(AccessDecision.Denial.NOT_GRANTED);
  }

  /** Every caller may use every model. */
  static AccessPolicy allowAll() {
    return AllowAllPolicy.INSTANCE;
  }
}
