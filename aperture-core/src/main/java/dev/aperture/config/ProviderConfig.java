package dev.aperture.config;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import dev.aperture.Redactor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code providers}, validated. Field names follow Aperture's configuration.
 *
 * <p>An entry loaded with a warning that stops it from routing (no {@code baseurl}, an unknown
 * {@code authorization}) is kept but not {@link #usable()}, with the reason: the Router lists it as
 * unavailable, as Aperture does. {@link #toString()} hides the key, header values and base-URL
 * credentials; {@link #redactor()} hides them in any text.
 */
public final class ProviderConfig {
  private final String id;
  private final @Nullable String type;
  private final String baseUrl;
  private final List<String> models;
  private final ApiKey apiKey;
  private final Authorization authorization;
  private final Set<ApiFormat> compatibility;
  private final Map<String, Boolean> compatibilityFlags;
  private final List<Header> addHeaders;
  private final int preference;
  private final boolean disabled;
  private final @Nullable String name;
  private final @Nullable String description;
  private final @Nullable String costBasis;
  private final List<CostMapping> modelCostMap;
  private final String path;
  private final @Nullable String unusableReason;

  /**
   * The earlier positional form, kept for callers that build entries in code.
   *
   * @param type the optional {@code type} that picks the {@link dev.aperture.ProviderFactory}
   * @param path the entry's JSON path, {@code providers.<id>}, for errors a factory reports
   */
  public ProviderConfig(String id, @Nullable String type, String baseUrl, List<String> models,
      ApiKey apiKey, Authorization authorization, Set<ApiFormat> compatibility, List<Header> addHeaders,
      int preference, boolean disabled, @Nullable String name, @Nullable String description,
      @Nullable String costBasis, String path) {
    this(builder(id).type(type).baseUrl(baseUrl).models(models).apiKey(apiKey)
        .authorization(authorization).compatibility(compatibility).addHeaders(addHeaders)
        .preference(preference).disabled(disabled).name(name).description(description)
        .costBasis(costBasis).path(path));
  }

  private ProviderConfig(Builder builder) {
    this.id = builder.id;
    this.type = builder.type;
    this.baseUrl = builder.baseUrl;
    this.models = List.copyOf(builder.models);
    this.apiKey = builder.apiKey;
    this.authorization = builder.authorization;
    this.compatibility = Set.copyOf(builder.compatibility);
    Map<String, Boolean> flags = new LinkedHashMap<>(builder.compatibilityFlags);
    if (flags.isEmpty()) {
      for (ApiFormat format : builder.compatibility) flags.put(format.wireName(), true);
    }
    this.compatibilityFlags = Collections.unmodifiableMap(flags);
    this.addHeaders = List.copyOf(builder.addHeaders);
    this.preference = builder.preference;
    this.disabled = builder.disabled;
    this.name = builder.name;
    this.description = builder.description;
    this.costBasis = builder.costBasis;
    this.modelCostMap = List.copyOf(builder.modelCostMap);
    this.path = builder.path != null ? builder.path : "providers." + id;
    this.unusableReason = builder.unusableReason != null ? builder.unusableReason
        : (baseUrl.isEmpty() ? "no baseurl" : null);
  }

  /** A minimal entry: bearer auth, {@code openai_chat} only, preference 0, enabled. */
  public static ProviderConfig of(String id, String baseUrl, ApiKey apiKey, List<String> models) {
    return builder(id).baseUrl(baseUrl).apiKey(apiKey).models(models).build();
  }

  /** An entry with id {@code id} and Aperture's defaults (bearer, {@code openai_chat}). */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder initialised from this entry. */
  public Builder newBuilder() {
    Builder builder = new Builder(id);
    builder.type = type;
    builder.baseUrl = baseUrl;
    builder.models.addAll(models);
    builder.apiKey = apiKey;
    builder.authorization = authorization;
    builder.compatibility = compatibility;
    builder.compatibilityFlags.putAll(compatibilityFlags);
    builder.addHeaders.addAll(addHeaders);
    builder.preference = preference;
    builder.disabled = disabled;
    builder.name = name;
    builder.description = description;
    builder.costBasis = costBasis;
    builder.modelCostMap.addAll(modelCostMap);
    builder.path = path;
    builder.unusableReason = unusableReason;
    return builder;
  }

  /** The entry's key, such as {@code openrouter}. */
  public String id() {
    return id;
  }

  /** The optional {@code type} that picks the {@link dev.aperture.ProviderFactory}. */
  public @Nullable String type() {
    return type;
  }

  /** {@code baseurl}, as written; empty when missing (then the entry is not {@link #usable()}). */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code models}, in order. */
  public List<String> models() {
    return models;
  }

  /** {@code apikey}, {@code ${VAR}} resolved; {@link ApiKey#none()} when absent. */
  public ApiKey apiKey() {
    return apiKey;
  }

  /** {@code authorization}: how the key is sent. */
  public Authorization authorization() {
    return authorization;
  }

  /** The enabled API formats: {@code openai_chat} alone when the block is absent. */
  public Set<ApiFormat> compatibility() {
    return compatibility;
  }

  /**
   * The {@code compatibility} block as written, every known flag with its value, including flags that
   * name no API format of the SDK ({@code experimental_gemini_cli_vertex_compat}).
   */
  public Map<String, Boolean> compatibilityFlags() {
    return compatibilityFlags;
  }

  /** {@code add_headers}, parsed from {@code "Name: value"}. Values may be secrets. */
  public List<Header> addHeaders() {
    return addHeaders;
  }

  /** {@code preference}: among providers serving one model, the higher wins. */
  public int preference() {
    return preference;
  }

  /** {@code disabled}: excluded from routing and listings. */
  public boolean disabled() {
    return disabled;
  }

  /** {@code name}, display text. */
  public @Nullable String name() {
    return name;
  }

  /** {@code description}, display text. */
  public @Nullable String description() {
    return description;
  }

  /** {@code cost_basis}, or null to infer. */
  public @Nullable String costBasis() {
    return costBasis;
  }

  /** {@code model_cost_map}: first match wins. */
  public List<CostMapping> modelCostMap() {
    return modelCostMap;
  }

  /** The entry's JSON path, {@code providers.<id>}, for errors a factory reports. */
  public String path() {
    return path;
  }

  /** Whether the entry can route: loaded without a defect that stops it ({@link #disabled()} aside). */
  public boolean usable() {
    return unusableReason == null;
  }

  /** Why the entry cannot route (such as {@code no baseurl}), or null when {@link #usable()}. */
  public @Nullable String unusableReason() {
    return unusableReason;
  }

  /** The first {@code model_cost_map} entry whose glob matches {@code model}, or null. */
  public @Nullable CostMapping costMappingFor(String model) {
    for (CostMapping mapping : modelCostMap) {
      if (mapping.matches(model)) return mapping;
    }
    return null;
  }

  /** Hides this entry's secrets: its key (and key file), header values and base-URL credentials. */
  public Redactor redactor() {
    return Secrets.redactor(secrets());
  }

  List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    if (!apiKey.isEmpty()) {
      secrets.add(apiKey.reveal());
      String keyfile = apiKey.revealKeyfile();
      if (keyfile != null) secrets.add(keyfile);
    }
    for (Header header : addHeaders) secrets.add(header.value());
    secrets.addAll(Secrets.userInfo(baseUrl));
    return secrets;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ProviderConfig that && id.equals(that.id) && Objects.equals(type, that.type)
        && baseUrl.equals(that.baseUrl) && models.equals(that.models) && apiKey.equals(that.apiKey)
        && authorization == that.authorization && compatibility.equals(that.compatibility)
        && compatibilityFlags.equals(that.compatibilityFlags) && addHeaders.equals(that.addHeaders)
        && preference == that.preference && disabled == that.disabled && Objects.equals(name, that.name)
        && Objects.equals(description, that.description) && Objects.equals(costBasis, that.costBasis)
        && modelCostMap.equals(that.modelCostMap) && path.equals(that.path)
        && Objects.equals(unusableReason, that.unusableReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, baseUrl, models, apiKey, compatibility, preference, disabled);
  }

  /** Every field but secrets: the key, header values and any credentials in the base URL are hidden. */
  @Override
  public String toString() {
    return "ProviderConfig{id=" + id + (type != null ? ", type=" + type : "")
        + ", baseUrl=" + Secrets.hideUserInfo(baseUrl)
        + ", models=" + models + ", apiKey=" + apiKey + ", authorization=" + authorization.wireName()
        + ", compatibility=" + compatibilityFlags + ", addHeaders=" + addHeaders + ", preference="
        + preference + ", disabled=" + disabled + (name != null ? ", name=" + name : "")
        + (costBasis != null ? ", cost_basis=" + costBasis : "")
        + (modelCostMap.isEmpty() ? "" : ", model_cost_map=" + modelCostMap)
        + (unusableReason != null ? ", unusable: " + unusableReason : "") + "}";
  }

  /** One {@code add_headers} entry. Its value is not shown by {@code toString()}: it may be a secret. */
  public record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
    }

    @Override
    public String toString() {
      return name + ": " + dev.aperture.Redactor.MASK;
    }
  }

  /**
   * One {@code model_cost_map} entry: models matching {@code match} (a glob, {@code *} any run of
   * characters) are priced as model {@code as}, times {@code adjustment} (exact; 1 by default).
   */
  public record CostMapping(String match, String as, BigDecimal adjustment) {
    public CostMapping {
      Objects.requireNonNull(match, "match == null");
      Objects.requireNonNull(as, "as == null");
      Objects.requireNonNull(adjustment, "adjustment == null");
      if (adjustment.signum() < 0) throw new IllegalArgumentException("adjustment < 0");
    }

    /** Whether {@code model} (as the provider names it) matches {@link #match()}. */
    public boolean matches(String model) {
      return globMatches(match, 0, model, 0);
    }

    private static boolean globMatches(String glob, int g, String text, int t) {
      while (g < glob.length()) {
        char c = glob.charAt(g);
        if (c == '*') {
          while (g < glob.length() && glob.charAt(g) == '*') g++;
          if (g == glob.length()) return true;
          for (int i = t; i <= text.length(); i++) {
            if (globMatches(glob, g, text, i)) return true;
          }
          return false;
        }
        if (t >= text.length() || text.charAt(t) != c) return false;
        g++;
        t++;
      }
      return t == text.length();
    }
  }

  /** Builds a {@link ProviderConfig}. */
  public static final class Builder {
    private final String id;
    private @Nullable String type;
    private String baseUrl = "";
    private final List<String> models = new ArrayList<>();
    private ApiKey apiKey = ApiKey.none();
    private Authorization authorization = Authorization.BEARER;
    private Set<ApiFormat> compatibility = Set.of(ApiFormat.OPENAI_CHAT);
    private final Map<String, Boolean> compatibilityFlags = new LinkedHashMap<>();
    private final List<Header> addHeaders = new ArrayList<>();
    private int preference;
    private boolean disabled;
    private @Nullable String name;
    private @Nullable String description;
    private @Nullable String costBasis;
    private final List<CostMapping> modelCostMap = new ArrayList<>();
    private @Nullable String path;
    private @Nullable String unusableReason;

    Builder(String id) {
      this.id = Objects.requireNonNull(id, "id == null");
    }

    public Builder type(@Nullable String type) {
      this.type = type;
      return this;
    }

    /** The API root; empty for none (the entry is then not usable). */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl == null");
      return this;
    }

    public Builder models(List<String> models) {
      this.models.clear();
      this.models.addAll(models);
      return this;
    }

    public Builder apiKey(ApiKey apiKey) {
      this.apiKey = Objects.requireNonNull(apiKey, "apiKey == null");
      return this;
    }

    public Builder authorization(Authorization authorization) {
      this.authorization = Objects.requireNonNull(authorization, "authorization == null");
      return this;
    }

    /** The enabled API formats. */
    public Builder compatibility(Set<ApiFormat> formats) {
      this.compatibility = Set.copyOf(formats);
      return this;
    }

    /** The {@code compatibility} block as written (flag name to value); defaults to the enabled formats. */
    public Builder compatibilityFlags(Map<String, Boolean> flags) {
      this.compatibilityFlags.clear();
      this.compatibilityFlags.putAll(flags);
      return this;
    }

    public Builder addHeaders(List<Header> headers) {
      this.addHeaders.clear();
      this.addHeaders.addAll(headers);
      return this;
    }

    public Builder addHeader(String name, String value) {
      this.addHeaders.add(new Header(name, value));
      return this;
    }

    public Builder preference(int preference) {
      this.preference = preference;
      return this;
    }

    public Builder disabled(boolean disabled) {
      this.disabled = disabled;
      return this;
    }

    public Builder name(@Nullable String name) {
      this.name = name;
      return this;
    }

    public Builder description(@Nullable String description) {
      this.description = description;
      return this;
    }

    public Builder costBasis(@Nullable String costBasis) {
      this.costBasis = costBasis;
      return this;
    }

    public Builder modelCostMap(List<CostMapping> mappings) {
      this.modelCostMap.clear();
      this.modelCostMap.addAll(mappings);
      return this;
    }

    /** The entry's JSON path for messages; {@code providers.<id>} by default. */
    public Builder path(String path) {
      this.path = Objects.requireNonNull(path, "path == null");
      return this;
    }

    /** Marks the entry as unable to route for {@code reason}; null clears it. */
    public Builder unusable(@Nullable String reason) {
      this.unusableReason = reason;
      return this;
    }

    public ProviderConfig build() {
      return new ProviderConfig(this);
    }
  }
}
