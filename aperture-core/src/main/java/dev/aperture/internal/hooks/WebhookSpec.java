package dev.aperture.internal.hooks;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One webhook hook: an entry of the configuration's {@code hooks}, as the runner needs it.
 *
 * @param name the hook's key, which grants' {@code send_hooks} name
 * @param url where to POST ({@code http} or {@code https})
 * @param apiKey the credential, empty for none; never shown by {@link #toString()}
 * @param authorization how the key is sent
 * @param timeout how long one call may take; {@link Duration#ZERO} for no limit (Aperture's default is 5 s)
 * @param failClosed {@code fail_policy: fail_closed}: a failed {@code pre_request} call refuses the call
 * @param preference chain order: higher first, ties by name
 * @param disabled {@code disabled: true}: never called
 */
public record WebhookSpec(String name, URI url, String apiKey, Authorization authorization, Duration timeout,
    boolean failClosed, int preference, boolean disabled) {
  /** Aperture's default hook timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public WebhookSpec {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(url, "url == null");
    Objects.requireNonNull(apiKey, "apiKey == null");
    Objects.requireNonNull(authorization, "authorization == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (name.isBlank()) throw new IllegalArgumentException("hook name is blank");
    String scheme = url.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || url.getHost() == null) {
      throw new IllegalArgumentException("hook '" + name + "' url must be an absolute http or https URL");
    }
    if (timeout.isNegative()) throw new IllegalArgumentException("hook '" + name + "' timeout is negative");
  }

  /** A webhook with Aperture's defaults: no key, bearer, 5 s, fail_open, preference 0, enabled. */
  public static WebhookSpec of(String name, String url) {
    return new WebhookSpec(name, URI.create(url), "", Authorization.BEARER, DEFAULT_TIMEOUT, false, 0, false);
  }

  public WebhookSpec withApiKey(String apiKey, Authorization authorization) {
    return new WebhookSpec(name, url, apiKey, authorization, timeout, failClosed, preference, disabled);
  }

  public WebhookSpec withTimeout(Duration timeout) {
    return new WebhookSpec(name, url, apiKey, authorization, timeout, failClosed, preference, disabled);
  }

  public WebhookSpec withFailClosed(boolean failClosed) {
    return new WebhookSpec(name, url, apiKey, authorization, timeout, failClosed, preference, disabled);
  }

  public WebhookSpec withPreference(int preference) {
    return new WebhookSpec(name, url, apiKey, authorization, timeout, failClosed, preference, disabled);
  }

  public WebhookSpec withDisabled(boolean disabled) {
    return new WebhookSpec(name, url, apiKey, authorization, timeout, failClosed, preference, disabled);
  }

  /** Never shows the key, nor the URL's user info or query (either may hold a credential). */
  @Override
  public String toString() {
    return "WebhookSpec{" + name + ", " + url.getScheme() + "://" + url.getHost()
        + (url.getPort() >= 0 ? ":" + url.getPort() : "") + (url.getRawPath() != null ? url.getRawPath() : "")
        + ", " + (failClosed ? "fail_closed" : "fail_open") + ", preference=" + preference
        + ", timeout=" + timeout + (apiKey.isEmpty() ? "" : ", key=<redacted>") + (disabled ? ", disabled" : "")
        + "}";
  }

  /** How the key is sent: Aperture's {@code authorization} values. */
  public enum Authorization {
    /** {@code Authorization: Bearer <apikey>}, the default. */
    BEARER("bearer", "Authorization"),
    /** {@code X-Api-Key: <apikey>}. */
    X_API_KEY("x-api-key", "X-Api-Key"),
    /** {@code X-Goog-Api-Key: <apikey>}. */
    X_GOOG_API_KEY("x-goog-api-key", "X-Goog-Api-Key");

    private final String wireName;
    private final String header;

    Authorization(String wireName, String header) {
      this.wireName = wireName;
      this.header = header;
    }

    public String wireName() {
      return wireName;
    }

    /** The HTTP header that carries the key. */
    public String header() {
      return header;
    }

    /** The header's value for {@code key}. */
    public String value(String key) {
      return this == BEARER ? "Bearer " + key : key;
    }

    /** The value for a configuration's {@code authorization} ("" means the default), or null if unknown. */
    public static @Nullable Authorization fromWireName(String name) {
      if (name.isEmpty()) return BEARER;
      for (Authorization value : values()) if (value.wireName.equalsIgnoreCase(name)) return value;
      return null;
    }
  }
}
