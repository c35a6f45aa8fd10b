package dev.aperture;

import java.util.List;

/** Model name → the ordered routes that serve it. The configured registry comes from the configuration. */
public interface ModelRegistry {
  /**
   * The enabled routes that serve {@code model}, best first (higher preference, then configuration
   * order). {@code model} may be bare ({@code vendor/model}) or prefixed ({@code provider/vendor/model});
   * the prefixed form selects that provider only. Empty if no enabled provider serves it.
   */
  List<Route> routes(String model);

  /** Every enabled route, in configuration order: for listings and suggestions. */
  List<Route> allRoutes();
}
