package dev.aperture.config;

import dev.aperture.AccessDecision;
import dev.aperture.Redactor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code grants}: who ({@code src}) gets which capabilities. Tailscale's grant syntax, as in
 * Aperture's configuration; Aperture's capabilities are those under
 * {@code app."tailscale.com/cap/aperture"}, every other key of {@code app} is a custom capability kept for
 * hooks.
 *
 * <p>{@code src} entries: {@code "*"}, a login ({@code alice@example.com}), {@code group:NAME}, a SCIM
 * group's email, {@code tag:NAME}, {@code "(loopback)"}. An empty {@code src} is valid and applies to
 * nobody. {@code dst} and {@code ip} (written in a tailnet policy file) are kept but not used.
 */
public final class Grant {
  /** The application capability key Aperture's grants live under. */
  public static final String CAPABILITY_KEY = "tailscale.com/cap/aperture";

  private final List<String> sources;
  private final List<Capability> capabilities;
  private final Map<String, List<@Nullable Object>> customCapabilities;
  private final List<String> destinations;

  /** A grant of {@code capabilities} to {@code sources}, without custom capabilities. */
  public Grant(List<String> sources, List<Capability> capabilities) {
    this(sources, capabilities, Map.of(), List.of());
  }

  /**
   * @param customCapabilities every {@code app} key other than {@link #CAPABILITY_KEY}, with its values
   *     (JSON-like: String, Long/BigDecimal, Boolean, null, List, Map)
   * @param destinations {@code dst}, kept as written
   */
  public Grant(List<String> sources, List<Capability> capabilities,
      Map<String, List<@Nullable Object>> customCapabilities, List<String> destinations) {
    this.sources = List.copyOf(sources);
    this.capabilities = List.copyOf(capabilities);
    Map<String, List<@Nullable Object>> custom = new LinkedHashMap<>();
    customCapabilities.forEach((k, v) -> custom.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
    this.customCapabilities = Collections.unmodifiableMap(custom);
    this.destinations = List.copyOf(destinations);
  }

  /** {@code src}: whom the grant applies to. */
  public List<String> sources() {
    return sources;
  }

  /** The objects of {@code app."tailscale.com/cap/aperture"}, in order. */
  public List<Capability> capabilities() {
    return capabilities;
  }

  /** Capability keys other than {@link #CAPABILITY_KEY}, each with its values: what hooks get as {@code grants}. */
  public Map<String, List<@Nullable Object>> customCapabilities() {
    return customCapabilities;
  }

  /** {@code dst} as written (tailnet policy files); not used by the SDK. */
  public List<String> destinations() {
    return destinations;
  }

  /** Hides the values of this grant's {@code add_headers}. */
  public Redactor redactor() {
    List<String> secrets = new ArrayList<>();
    for (Capability capability : capabilities) {
      for (ProviderConfig.Header header : capability.addHeaders()) secrets.add(header.value());
    }
    return Secrets.redactor(secrets);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Grant that && sources.equals(that.sources)
        && capabilities.equals(that.capabilities) && customCapabilities.equals(that.customCapabilities)
        && destinations.equals(that.destinations);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sources, capabilities, customCapabilities, destinations);
  }

  /** Custom capabilities are named, not shown: their values are the application's. */
  @Override
  public String toString() {
    return "Grant{src=" + sources + ", capabilities=" + capabilities
        + (customCapabilities.isEmpty() ? "" : ", custom=" + customCapabilities.keySet()) + "}";
  }

  /**
   * One object of a grant's capability array. Any combination of fields: {@code role}, {@code models}
   * (one glob, or the SDK's earlier array of globs), {@code quotas}, {@code send_hooks},
   * {@code add_headers}. A capability without {@code models} is <em>floating</em>: its quotas, hooks and
   * headers apply to every model the caller reaches; with {@code models} they apply only to calls to
   * matching models. The role applies whatever the models.
   */
  public static final class Capability {
    private final @Nullable String role;
    private final boolean floating;
    private final List<String> models;
    private final List<String> quotaBuckets;
    private final List<AccessDecision.HookBinding> sendHooks;
    private final List<ProviderConfig.Header> addHeaders;

    /**
     * The SDK's earlier shape: a role and model globs in one object. An empty {@code models} makes the
     * capability floating.
     */
    public Capability(@Nullable String role, List<String> models, List<String> quotaBuckets) {
      this(builder().role(role).models(models).quotaBuckets(quotaBuckets).floating(models.isEmpty()));
    }

    private Capability(Builder builder) {
      this.role = builder.role;
      this.floating = builder.floating;
      this.models = List.copyOf(builder.models);
      this.quotaBuckets = List.copyOf(builder.quotaBuckets);
      this.sendHooks = List.copyOf(builder.sendHooks);
      this.addHeaders = List.copyOf(builder.addHeaders);
    }

    public static Builder builder() {
      return new Builder();
    }

    public Builder newBuilder() {
      Builder builder = new Builder();
      builder.role = role;
      builder.floating = floating;
      builder.models.addAll(models);
      builder.quotaBuckets.addAll(quotaBuckets);
      builder.sendHooks.addAll(sendHooks);
      builder.addHeaders.addAll(addHeaders);
      return builder;
    }

    /** {@code user} or {@code admin}, or null when this object gives no role. */
    public @Nullable String role() {
      return role;
    }

    /** Whether the object has no {@code models}: its other fields apply to every model the caller reaches. */
    public boolean isFloating() {
      return floating;
    }

    /** The model globs over {@code provider/model}: {@code *} within one segment, {@code **} any number. */
    public List<String> models() {
      return models;
    }

    /** {@code quotas}: the bucket names (templates unexpanded) each matching call charges. */
    public List<String> quotaBuckets() {
      return quotaBuckets;
    }

    /** {@code send_hooks}: the hooks matching calls fire, with their events and {@code send} lists. */
    public List<AccessDecision.HookBinding> sendHooks() {
      return sendHooks;
    }

    /** {@code add_headers}: extra upstream headers for matching calls. Values may be secrets. */
    public List<ProviderConfig.Header> addHeaders() {
      return addHeaders;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Capability that && Objects.equals(role, that.role)
          && floating == that.floating && models.equals(that.models)
          && quotaBuckets.equals(that.quotaBuckets) && sendHooks.equals(that.sendHooks)
          && addHeaders.equals(that.addHeaders);
    }

    @Override
    public int hashCode() {
      return Objects.hash(role, floating, models, quotaBuckets, sendHooks, addHeaders);
    }

    /** Header values are hidden. */
    @Override
    public String toString() {
      StringBuilder result = new StringBuilder("{");
      if (role != null) result.append("role=").append(role).append(", ");
      result.append(floating ? "floating" : "models=" + models);
      if (!quotaBuckets.isEmpty()) result.append(", quotas=").append(quotaBuckets);
      if (!sendHooks.isEmpty()) result.append(", send_hooks=").append(sendHooks);
      if (!addHeaders.isEmpty()) result.append(", add_headers=").append(addHeaders);
      return result.append('}').toString();
    }

    /** Builds a {@link Capability}; floating until {@link #models} is given. */
    public static final class Builder {
      private @Nullable String role;
      private boolean floating = true;
      private final List<String> models = new ArrayList<>();
      private final List<String> quotaBuckets = new ArrayList<>();
      private final List<AccessDecision.HookBinding> sendHooks = new ArrayList<>();
      private final List<ProviderConfig.Header> addHeaders = new ArrayList<>();

      Builder() {
      }

      public Builder role(@Nullable String role) {
        this.role = role;
        return this;
      }

      /** Sets the model globs; the capability is no longer floating (an empty list matches no model). */
      public Builder models(List<String> globs) {
        models.clear();
        models.addAll(globs);
        floating = false;
        return this;
      }

      /** Whether the capability has no {@code models}. */
      public Builder floating(boolean floating) {
        this.floating = floating;
        return this;
      }

      public Builder quotaBuckets(List<String> buckets) {
        quotaBuckets.clear();
        quotaBuckets.addAll(buckets);
        return this;
      }

      public Builder addSendHook(AccessDecision.HookBinding binding) {
        sendHooks.add(Objects.requireNonNull(binding, "binding == null"));
        return this;
      }

      public Builder addHeader(ProviderConfig.Header header) {
        addHeaders.add(Objects.requireNonNull(header, "header == null"));
        return this;
      }

      public Capability build() {
        return new Capability(this);
      }
    }
  }
}
