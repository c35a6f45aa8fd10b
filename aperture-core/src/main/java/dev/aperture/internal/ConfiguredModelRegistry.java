package dev.aperture.internal;

import dev.aperture.ModelRegistry;
import dev.aperture.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes indexed by bare model name and by {@code provider/model}, so a lookup is two hash probes however
 * many models are configured. A lookup is exact: the caller's spelling must equal a configured name, so
 * case changes, {@code ..}, stray slashes or whitespace find nothing rather than something else.
 */
public final class ConfiguredModelRegistry implements ModelRegistry {
  private final List<Route> allRoutes;
  private final Map<String, List<Route>> byModel = new HashMap<>();
  private final Map<String, Route> byQualifiedName = new HashMap<>();
  private final Map<String, Boolean> providerIds = new HashMap<>();

  /** {@code routes} in configuration order; disabled providers must already be left out. */
  public ConfiguredModelRegistry(List<Route> routes) {
    this.allRoutes = List.copyOf(routes);
    Map<String, List<Route>> grouped = new LinkedHashMap<>();
    for (Route route : routes) {
      grouped.computeIfAbsent(route.model(), k -> new ArrayList<>()).add(route);
      byQualifiedName.putIfAbsent(route.qualifiedName(), route);
      providerIds.put(route.providerId(), Boolean.TRUE);
    }
    // Higher preference first; the sort is stable, so ties keep configuration order.
    // Usable routes before unavailable ones (a provider with no implementation), then higher preference.
    Comparator<Route> byPreference = Comparator.<Route>comparingInt(r -> r.provider() instanceof UnavailableProvider ? 1 : 0)
        .thenComparing(Comparator.comparingInt(Route::preference).reversed());
    grouped.forEach((model, list) -> {
      list.sort(byPreference);
      byModel.put(model, List.copyOf(list));
    });
  }

  @Override
  public List<Route> routes(String model) {
    // The prefixed form names the provider, so it is resolved by provider id first.
    int slash = model.indexOf('/');
    if (slash > 0 && providerIds.containsKey(model.substring(0, slash))) {
      Route route = byQualifiedName.get(model);
      if (route != null) return List.of(route);
    }
    List<Route> routes = byModel.get(model);
    return routes != null ? routes : List.of();
  }

  @Override
  public List<Route> allRoutes() {
    return allRoutes;
  }
}
