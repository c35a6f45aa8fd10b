package dev.aperture;

import java.util.Objects;
import java.util.Set;

/**
 * One way to serve a model: a provider and the model's name there.
 *
 * @param model the model's name at the provider, without the provider prefix
 * @param apiFormats the formats this route can be called with
 * @param preference higher wins when several routes serve one model
 */
public record Route(Provider provider, String model, Set<ApiFormat> apiFormats, int preference) {
  public Route {
    Objects.requireNonNull(provider, "provider == null");
    Objects.requireNonNull(model, "model == null");
    apiFormats = Set.copyOf(apiFormats);
  }

  public String providerId() {
    return provider.id();
  }

  /** {@code provider/model}: the name grants match against. */
  public String qualifiedName() {
    return provider.id() + "/" + model;
  }

  @Override
  public String toString() {
    return "Route{" + qualifiedName() + "}";
  }
}
