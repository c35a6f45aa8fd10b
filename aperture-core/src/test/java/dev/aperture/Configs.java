package dev.aperture;

import dev.aperture.config.ApertureConfig;
import dev.aperture.config.Authorization;
import dev.aperture.config.Grant;
import dev.aperture.config.ProviderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Builds configurations in code, as the loader would produce them. */
final class Configs {
  private final Map<String, ProviderConfig> providers = new LinkedHashMap<>();
  private final List<Grant> grants = new ArrayList<>();
  private boolean hasGrants;

  static Configs create() {
    return new Configs();
  }

  Configs provider(String id, String... models) {
    return provider(id, 0, false, null, Set.of(ApiFormat.OPENAI_CHAT), models);
  }

  Configs provider(String id, int preference, boolean disabled, @Nullable String type,
      Set<ApiFormat> formats, String... models) {
    providers.put(id, new ProviderConfig(id, type, "https://" + id + ".example/api/", List.of(models),
        ApiKey.of("sk-test-" + id), Authorization.BEARER, formats, List.of(), preference, disabled,
        id.toUpperCase(java.util.Locale.ROOT), null, null, "providers." + id));
    return this;
  }

  Configs providerAt(String id, String baseUrl, String... models) {
    providers.put(id, new ProviderConfig(id, null, baseUrl, List.of(models), ApiKey.none(),
        Authorization.BEARER, Set.of(ApiFormat.OPENAI_CHAT), List.of(), 0, false, null, null, null,
        "providers." + id));
    return this;
  }

  Configs grant(List<String> sources, String role, String... models) {
    hasGrants = true;
    grants.add(new Grant(sources, List.of(new Grant.Capability(role, List.of(models), List.of()))));
    return this;
  }

  Configs noGrantsKey() {
    hasGrants = false;
    return this;
  }

  ApertureConfig build() {
    return new ApertureConfig(providers, grants, hasGrants, Map.of(), Map.of(), List.of(), "test");
  }

  /** A factory that builds a {@link FakeProvider} per entry and remembers them. */
  static final class FakeFactory implements ProviderFactory {
    final String type;
    final Map<String, FakeProvider> built = new LinkedHashMap<>();

    FakeFactory(String type) {
      this.type = type;
    }

    @Override
    public String type() {
      return type;
    }

    @Override
    public Provider create(ProviderConfig config) {
      FakeProvider provider = new FakeProvider(config.id(), Set.of(ApiFormat.values()));
      built.put(config.id(), provider);
      return provider;
    }
  }
}
