package dev.aperture;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A model a caller may use, as {@link Router#models} lists it.
 *
 * @param id the qualified name, {@code provider/model}
 * @param model the model's name at the provider
 * @param providerName the provider's display name from configuration, or null
 * @param unavailableReason why its provider cannot be used (no implementation registered, no
 *     {@code baseurl}), or null when it can
 */
public record ModelInfo(String id, String model, String providerId, @Nullable String providerName,
    Set<ApiFormat> apiFormats, @Nullable String unavailableReason) {
  public ModelInfo {
    apiFormats = Set.copyOf(apiFormats);
  }

  /** A model of a usable provider. */
  public ModelInfo(String id, String model, String providerId, @Nullable String providerName,
      Set<ApiFormat> apiFormats) {
    this(id, model, providerId, providerName, apiFormats, null);
  }

  /** False when its provider is configured but cannot be used (see {@link #unavailableReason()}). */
  public boolean available() {
    return unavailableReason == null;
  }
}
