package dev.aperture.config;

import java.util.List;

/**
 * One entry of {@code grants}: who ({@code src}) gets which capabilities. Tailscale's grant syntax, as in
 * Aperture's configuration; the capabilities are those under {@code app."tailscale.com/cap/aperture"}.
 *
 * @param sources {@code src}: {@code "*"}, a login name, {@code group:NAME} or {@code tag:NAME}
 */
public record Grant(List<String> sources, List<Grant.Capability> capabilities) {
  /** The application capability key Aperture's grants live under. */
  public static final String CAPABILITY_KEY = "tailscale.com/cap/aperture";

  public Grant {
    sources = List.copyOf(sources);
    capabilities = List.copyOf(capabilities);
  }

  /**
   * @param role {@code user} or {@code admin} (admin implies user)
   * @param models globs over {@code provider/model}: {@code *} within one segment, {@code **} any
   * @param quotaBuckets the quota buckets each call under this grant charges, such as
   *     {@code daily:<user>}
   */
  public record Capability(String role, List<String> models, List<String> quotaBuckets) {
    public Capability {
      models = List.copyOf(models);
      quotaBuckets = List.copyOf(quotaBuckets);
    }
  }
}
