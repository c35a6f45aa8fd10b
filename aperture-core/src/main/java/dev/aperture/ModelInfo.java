package dev.aperture;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A model a caller may use, as {@link Router#models} lists it.
 *
 * @param id the qualified name, {@code provider/model}
 * @param model the model's name at the provider
 * @param providerName the provider's display name from configuration, or null
 */
public record ModelInfo(String id, String model, String providerId, @Nullable String providerName,
    Set<ApiFormat> apiFormats) {
  public ModelInfo {
    apiFormats = Set.copyOf(apiFormats);
  }
}
