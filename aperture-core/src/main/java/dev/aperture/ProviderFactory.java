package dev.aperture;

import dev.aperture.config.ProviderConfig;

/**
 * Turns one configured provider entry into a {@link Provider}. Registered on {@link Router.Builder}, or
 * discovered with {@link java.util.ServiceLoader} only when the application asks for it
 * ({@link Router.Builder#discoverProviderFactories()}).
 *
 * <p>An entry is matched to a factory by its {@code "type"} field, else by its provider id, else by its
 * base URL's host (see {@link #matchesHost}).
 */
public interface ProviderFactory {
  /** The type name entries use, such as {@code openrouter}. */
  String type();

  /** Whether an entry with this base URL host and no {@code type} is this factory's (e.g. openrouter.ai). */
  default boolean matchesHost(String host) {
    return host.equals(type()) || host.startsWith(type() + ".") || host.contains("." + type() + ".");
  }

  /**
   * Creates the provider. Throws {@link dev.aperture.config.ConfigurationException} naming the entry's
   * path when the entry is not valid for this kind of provider (for example a format it cannot serve).
   */
  Provider create(ProviderConfig config);
}
