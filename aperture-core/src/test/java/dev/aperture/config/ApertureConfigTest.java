package dev.aperture.config;

import static dev.aperture.config.ConfigTesting.ENVIRONMENT;
import static dev.aperture.config.ConfigTesting.OPENROUTER_KEY;
import static dev.aperture.config.ConfigTesting.parse;
import static dev.aperture.config.ConfigTesting.provider;
import static dev.aperture.config.ConfigTesting.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.ApiFormat;
import dev.aperture.ApiKey;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every field of a valid configuration, and its defaults. */
final class ApertureConfigTest {
  @Test
  void loadsTheSeedShapedOpenRouterConfiguration() {
    ApertureConfig config = ApertureConfig.parse(resource("aperture-openrouter.hujson"), "seed",
        ENVIRONMENT::get);

    assertThat(config.source()).isEqualTo("seed");
    assertThat(config.warnings()).isEmpty();
    assertThat(config.providers()).containsOnlyKeys("openrouter");
    ProviderConfig openrouter = config.providers().get("openrouter");
    assertThat(openrouter.id()).isEqualTo("openrouter");
    assertThat(openrouter.path()).isEqualTo("providers.openrouter");
    assertThat(openrouter.type()).isNull();
    assertThat(openrouter.baseUrl()).isEqualTo("https://openrouter.ai/api/");
    assertThat(openrouter.models()).containsExactly("qwen/qwen3-235b-a22b-2507",
        "google/gemini-2.5-pro-preview", "x-ai/grok-code-fast-1");
    assertThat(openrouter.apiKey().reveal()).isEqualTo(OPENROUTER_KEY);
    assertThat(openrouter.authorization()).isEqualTo(Authorization.BEARER);
    assertThat(openrouter.compatibility()).containsExactly(ApiFormat.OPENAI_CHAT);
    assertThat(openrouter.addHeaders()).isEmpty();
    assertThat(openrouter.preference()).isZero();
    assertThat(openrouter.disabled()).isFalse();
    assertThat(openrouter.name()).isEqualTo("OpenRouter");
    assertThat(openrouter.description()).isEqualTo("OpenRouter // not a comment /* nor this */");
    assertThat(openrouter.costBasis()).isEqualTo("openrouter");

    assertThat(config.hasGrants()).isTrue();
    assertThat(config.grants()).containsExactly(new Grant(List.of("*"),
        List.of(new Grant.Capability("user", List.of("openrouter/**"), List.of()))));
    assertThat(config.quotas()).isEmpty();
    assertThat(config.hooks()).isEmpty();
    assertThat(config.enabledProviders()).containsExactly(openrouter);
  }

  @Test
  void readsEveryProviderField() {
    ProviderConfig p = parse(provider("""
              "authorization": "x-api-key",
              "compatibility": {"anthropic_messages": true, "openai_chat": false, "openai_responses": true},
              "add_headers": ["HTTP-Referer: https://example.com/app", "X-Title:   My App  ", "X-Empty:"],
              "preference": -3,
              "disabled": true,
              "name": "Example",
              "description": "An example provider",
              "cost_basis": "anthropic",
              "type": "anthropic",
        """)).providers().get("p");

    assertThat(p.authorization()).isEqualTo(Authorization.X_API_KEY);
    assertThat(p.compatibility())
        .containsExactlyInAnyOrder(ApiFormat.ANTHROPIC_MESSAGES, ApiFormat.OPENAI_RESPONSES);
    assertThat(p.addHeaders()).containsExactly(
        new ProviderConfig.Header("HTTP-Referer", "https://example.com/app"),
        new ProviderConfig.Header("X-Title", "My App"),
        new ProviderConfig.Header("X-Empty", ""));
    assertThat(p.preference()).isEqualTo(-3);
    assertThat(p.disabled()).isTrue();
    assertThat(p.name()).isEqualTo("Example");
    assertThat(p.description()).isEqualTo("An example provider");
    assertThat(p.costBasis()).isEqualTo("anthropic");
    assertThat(p.type()).isEqualTo("anthropic");
  }

  @Test
  void everyAuthorizationValueIsAccepted() {
    for (Authorization authorization : Authorization.values()) {
      ProviderConfig p = parse(provider("\"authorization\": \"" + authorization.wireName() + "\","))
          .providers().get("p");
      assertThat(p.authorization()).isEqualTo(authorization);
    }
  }

  @Test
  void everyCompatibilityFlagIsAccepted() {
    for (ApiFormat format : ApiFormat.values()) {
      ProviderConfig p = parse(provider("\"compatibility\": {\"" + format.wireName() + "\": true},"))
          .providers().get("p");
      assertThat(p.compatibility()).containsExactly(format);
    }
  }

  @Test
  void optionalProviderFieldsHaveAperturesDefaults() {
    ProviderConfig p = parse(provider("")).providers().get("p");

    assertThat(p.authorization()).isEqualTo(Authorization.BEARER);
    assertThat(p.compatibility()).containsExactly(ApiFormat.OPENAI_CHAT);
    assertThat(p.addHeaders()).isEmpty();
    assertThat(p.preference()).isZero();
    assertThat(p.disabled()).isFalse();
    assertThat(p.name()).isNull();
    assertThat(p.description()).isNull();
    assertThat(p.costBasis()).isNull();
    assertThat(p.type()).isNull();
  }

  @Test
  void aCompatibilityBlockEnablesOnlyTheFlagsItSetsTrue() {
    ProviderConfig p = parse(provider("\"compatibility\": {\"openai_responses\": true},"))
        .providers().get("p");

    assertThat(p.compatibility()).containsExactly(ApiFormat.OPENAI_RESPONSES);
  }

  @Test
  void providersKeepFileOrder() {
    ApertureConfig config = parse("""
        {"providers": {
          "zeta": {"baseurl": "https://z.example/", "models": ["a"], "apikey": "k"},
          "alpha": {"baseurl": "https://a.example/", "models": ["a"], "apikey": "k", "disabled": true},
          "mid": {"baseurl": "http://localhost:8080/v1", "models": ["a"], "apikey": "k"},
        }}
        """);

    assertThat(config.providers().keySet()).containsExactly("zeta", "alpha", "mid");
    assertThat(config.enabledProviders()).extracting(ProviderConfig::id).containsExactly("zeta", "mid");
  }

  @Test
  void hasGrantsSaysWhetherTheGrantsKeyWasPresent() {
    assertThat(parse(provider("")).hasGrants()).isFalse();

    ApertureConfig withEmptyGrants = parse("""
        {"providers": {"p": {"baseurl": "https://example.com/", "models": ["m"], "apikey": "k"}},
         "grants": []}
        """);
    assertThat(withEmptyGrants.hasGrants()).isTrue();
    assertThat(withEmptyGrants.grants()).isEmpty();
  }

  @Test
  void readsGrantsWithEverySourceKindRolesModelsAndQuotaBuckets() {
    ApertureConfig config = parse("""
        {
          "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "models": ["m"], "apikey": "k"}},
          "quotas": {"daily:<user>": {"capacity": "$10.00", "rate": "$5.00/day"}},
          "grants": [
            {"src": ["group:eng", "alice@example.com", "tag:ci"],
             "app": {"tailscale.com/cap/aperture": [
               {"role": "admin", "models": ["openrouter/**", "openrouter/qwen/*"],
                "quotas": [{"bucket": "daily:<user>"}]},
               {"role": "user", "models": ["**"]},
             ]}},
            {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["openrouter/qwen/*"]}]}},
          ],
        }
        """);

    assertThat(config.grants()).containsExactly(
        new Grant(List.of("group:eng", "alice@example.com", "tag:ci"), List.of(
            new Grant.Capability("admin", List.of("openrouter/**", "openrouter/qwen/*"),
                List.of("daily:<user>")),
            new Grant.Capability("user", List.of("**"), List.of()))),
        new Grant(List.of("*"),
            List.of(new Grant.Capability("user", List.of("openrouter/qwen/*"), List.of()))));
  }

  @Test
  void readsQuotasWithEveryRateUnit() {
    ApertureConfig config = parse("""
        {
          "providers": {"p": {"baseurl": "https://example.com/", "models": ["m"], "apikey": "k"}},
          "quotas": {
            "daily:<user>": {"capacity": "$10.00", "rate": "$5.00/day", "on_exceed": "reject"},
            "a": {"capacity": "$1", "rate": "$0.5/min"},
            "b": {"capacity": "$2", "rate": "$0/hour"},
            "c": {"capacity": "$3", "rate": "$1.25/week"},
            "d": {"capacity": "$4", "rate": "$100/month"},
          },
        }
        """);

    assertThat(config.quotas()).containsOnlyKeys("daily:<user>", "a", "b", "c", "d");
    assertThat(config.quotas().get("daily:<user>")).isEqualTo(new Quota("daily:<user>",
        10_000_000_000L, 5_000_000_000L, Duration.ofDays(1), "reject"));
    assertThat(config.quotas().get("a").ratePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.quotas().get("a").rateNanos()).isEqualTo(500_000_000L);
    assertThat(config.quotas().get("a").onExceed()).isEqualTo("reject");
    assertThat(config.quotas().get("b").ratePeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(config.quotas().get("b").rateNanos()).isZero();
    assertThat(config.quotas().get("c").ratePeriod()).isEqualTo(Duration.ofDays(7));
    assertThat(config.quotas().get("c").rateNanos()).isEqualTo(1_250_000_000L);
    assertThat(config.quotas().get("d").ratePeriod()).isEqualTo(Duration.ofDays(30));
    assertThat(config.quotas().get("d").capacityNanos()).isEqualTo(4_000_000_000L);
  }

  @Test
  void readsHooksWithAperturesFieldsAndDefaults() {
    ApertureConfig config = parse("""
        {
          "providers": {"p": {"baseurl": "https://example.com/", "models": ["m"], "apikey": "k"}},
          "hooks": {
            "audit": {
              "url": "https://hooks.example/audit",
              "apikey": "hook-key-1234",
              "authorization": "x-api-key",
              "preference": 10,
              "fail_policy": "fail_closed",
              "timeout": "1m30s",
              "disabled": true,
            },
            "minimal": {"url": "http://127.0.0.1:9/h"},
          },
        }
        """);

    Hook audit = config.hooks().get("audit");
    assertThat(audit.name()).isEqualTo("audit");
    assertThat(audit.url()).isEqualTo("https://hooks.example/audit");
    assertThat(audit.apiKey().reveal()).isEqualTo("hook-key-1234");
    assertThat(audit.authorization()).isEqualTo(Authorization.X_API_KEY);
    assertThat(audit.preference()).isEqualTo(10);
    assertThat(audit.failClosed()).isTrue();
    assertThat(audit.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(audit.disabled()).isTrue();
    assertThat(audit.usable()).isTrue();
    assertThat(audit.options().failClosed()).isTrue();

    Hook minimal = config.hooks().get("minimal");
    assertThat(minimal.preference()).isZero();
    assertThat(minimal.failOpen()).isTrue();
    assertThat(minimal.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(minimal.authorization()).isEqualTo(Authorization.BEARER);
    assertThat(minimal.apiKey().isEmpty()).isTrue();
    assertThat(minimal.disabled()).isFalse();
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void loadsAFileByPathAndReportsItAsTheSource(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("aperture.hujson");
    Files.writeString(file, provider("// no secrets from the environment here\n"),
        StandardCharsets.UTF_8);

    ApertureConfig config = ApertureConfig.load(file);

    assertThat(config.source()).isEqualTo(file.toString());
    assertThat(config.providers().get("p").apiKey()).isEqualTo(ApiKey.of("k"));
  }

  @Test
  void anUnreadablePathIsAConfigurationError(@TempDir Path directory) {
    Path missing = directory.resolve("missing.hujson");

    assertThatThrownBy(() -> ApertureConfig.load(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cannot read " + missing);
  }

  @Test
  void parsesFromAReader() {
    ApertureConfig config = ApertureConfig.parse(new StringReader(provider("")), "reader");

    assertThat(config.source()).isEqualTo("reader");
    assertThat(config.providers()).containsOnlyKeys("p");
  }

  @Test
  void theLoadedConfigurationIsImmutable() {
    ApertureConfig config = parse(resource("aperture-openrouter.hujson").replace("${OPENROUTER_API_KEY}", "k"));

    assertThatThrownBy(() -> config.providers().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.grants().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.providers().get("openrouter").models().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.providers().get("openrouter").compatibility().add(ApiFormat.OPENAI_RESPONSES))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(config.providers().get("openrouter").compatibility()).isEqualTo(Set.of(ApiFormat.OPENAI_CHAT));
  }
}
