package dev.aperture;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The request's API format (for example the OpenAI Responses API) is not one the chosen provider supports.
 * Thrown before any network I/O.
 */
public final class UnsupportedApiFormatException extends ApertureException {
  private final String providerId;
  private final ApiFormat requested;
  private final Set<ApiFormat> supported;

  public UnsupportedApiFormatException(String providerId, String model, ApiFormat requested,
      Set<ApiFormat> supported) {
    super("provider '" + providerId + "' does not support the " + requested.wireName()
        + " API format for model '" + model + "'; it supports: "
        + supported.stream().map(ApiFormat::wireName).sorted().collect(Collectors.joining(", ")));
    this.providerId = providerId;
    this.requested = requested;
    this.supported = Set.copyOf(supported);
  }

  public String providerId() {
    return providerId;
  }

  public ApiFormat requested() {
    return requested;
  }

  public Set<ApiFormat> supported() {
    return supported;
  }
}
