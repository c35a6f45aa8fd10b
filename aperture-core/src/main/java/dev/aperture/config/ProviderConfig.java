package dev.aperture.config;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code providers}, validated. Field names follow Aperture's configuration.
 *
 * @param id the entry's key, such as {@code openrouter}
 * @param type the optional {@code type} that picks the {@link dev.aperture.ProviderFactory}
 * @param baseUrl {@code baseurl}, as written
 * @param models {@code models}, in order
 * @param apiKey {@code apikey}, with {@code ${VAR}} resolved; {@link ApiKey#none()} when absent
 * @param compatibility the enabled API formats: {@code openai_chat} alone when the block is absent
 * @param addHeaders {@code add_headers}, parsed from {@code "Name: value"}
 * @param costBasis {@code cost_basis}, or null to infer
 * @param path the entry's JSON path, {@code providers.<id>}, for errors a factory reports
 */
public record ProviderConfig(
    String id,
    @Nullable String type,
    String baseUrl,
    List<String> models,
    ApiKey apiKey,
    Authorization authorization,
    Set<ApiFormat> compatibility,
    List<Header> addHeaders,
    int preference,
    boolean disabled,
    @Nullable String name,
    @Nullable String description,
    @Nullable String costBasis,
    String path) {

  public ProviderConfig {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(baseUrl, "baseUrl == null");
    models = List.copyOf(models);
    Objects.requireNonNull(apiKey, "apiKey == null");
    Objects.requireNonNull(authorization, "authorization == null");
    compatibility = Set.copyOf(compatibility);
    addHeaders = List.copyOf(addHeaders);
    Objects.requireNonNull(path, "path == null");
  }

  /** Every field but secrets: the key, header values and any credentials in the base URL are hidden. */
  @Override
  public String toString() {
    return "ProviderConfig{id=" + id + (type != null ? ", type=" + type : "")
        + ", baseUrl=" + baseUrl.replaceAll("(?<=://)[^/?#]*@", "<redacted>@")
        + ", models=" + models + ", apiKey=" + apiKey + ", authorization=" + authorization.wireName()
        + ", compatibility=" + compatibility + ", addHeaders=" + addHeaders + ", preference=" + preference
        + ", disabled=" + disabled + (name != null ? ", name=" + name : "") + "}";
  }

  /** A minimal entry: bearer auth, {@code openai_chat} only, preference 0, enabled. */
  public static ProviderConfig of(String id, String baseUrl, ApiKey apiKey, List<String> models) {
    return new ProviderConfig(id, null, baseUrl, models, apiKey, Authorization.BEARER,
        Set.of(ApiFormat.OPENAI_CHAT), List.of(), 0, false, null, null, null, "providers." + id);
  }

  /** One {@code add_headers} entry. Its value is not shown by {@code toString()}: it may be a secret. */
  public record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(value, "value == null");
    }

    @Override
    public String toString() {
      return name + ": <redacted>";
    }
  }
}
