package dev.aperture.config;

import static dev.aperture.config.ConfigTesting.OPENROUTER_KEY;
import static dev.aperture.config.ConfigTesting.parse;
import static dev.aperture.config.ConfigTesting.provider;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What is suspicious but not fatal: kept on the config and logged. */
final class ConfigWarningsTest {
  private static final String PROVIDERS = """
      "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "models": ["m"], "apikey": "k"}},
      """;

  private final Logger logger = Logger.getLogger("dev.aperture.config");
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void captureLogs() {
    logger.addHandler(handler);
  }

  @AfterEach
  void releaseLogs() {
    logger.removeHandler(handler);
  }

  @Test
  void unknownTopLevelKeysAreIgnoredWithAWarningAndATypoGetsASuggestion() {
    ApertureConfig config = parse("""
        {
          "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "models": ["m"], "apikey": "k"}},
          "exporters": {"s3": {}},
          "database": {"path": "/var/lib/aperture"},
          "mcp": {},
          "auto_cost_basis": true,
          "grant": [],
          "quota": {},
        }
        """);

    // Aperture's other sections are recognised: one informational note each, never a warning.
    assertThat(config.notes()).extracting(ConfigProblem::toString).containsExactly(
        "exporters (line 3): recognised; not applied by the SDK",
        "database (line 4): recognised; not applied by the SDK",
        "mcp (line 5): recognised; not applied by the SDK",
        "auto_cost_basis (line 6): recognised; not applied by the SDK (calls are priced by what the "
            + "provider reports)");
    assertThat(config.autoCostBasis()).isTrue();
    assertThat(config.warnings()).containsExactly(
        "grant (line 7): unknown top-level key 'grant' ignored; did you mean 'grants'?",
        "quota (line 8): unknown top-level key 'quota' ignored; did you mean 'quotas'?");
    assertThat(config.hasGrants()).isFalse();
  }

  @Test
  void aMisspeltProvidersKeyIsSuggestedNextToTheMissingProvidersError() {
    ConfigurationException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        ConfigurationException.class, () -> ConfigTesting.parseStrict("{\"provider\": {}}"));

    assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
        "unknown top-level key 'provider' ignored; did you mean 'providers'?",
        "no \"providers\": no model will route (valid for a file that only configures MCP or connectors)");
    assertThat(records).isEmpty(); // a refused configuration logs nothing: its exception says it all
  }

  @Test
  void unknownProviderFieldsAreWarningsWithTheNearestKnownField() {
    ApertureConfig config = parse(provider("""
              "baseURL": "https://example.com/",
              "modles": [],
              "add-headers": [],
              "Preference": 1,
              "region": "eu",
        """));

    assertThat(config.warnings()).containsExactly(
        "providers.p.baseURL (line 7): unknown provider field \"baseURL\" ignored; did you mean \"baseurl\"?",
        "providers.p.modles (line 8): unknown provider field \"modles\" ignored; did you mean \"models\"?",
        "providers.p.add-headers (line 9): unknown provider field \"add-headers\" ignored; did you mean "
            + "\"add_headers\"?",
        "providers.p.Preference (line 10): unknown provider field \"Preference\" ignored; did you mean "
            + "\"preference\"?",
        "providers.p.region (line 11): unknown provider field \"region\" ignored");
    assertThat(config.providers().get("p").preference()).isZero();
  }

  @Test
  void aHeaderThatSetsTheAuthorizationHeaderIsAWarning() {
    ApertureConfig bearer = parse(provider("\"add_headers\": [\"authorization: Bearer x\"],"));
    assertThat(bearer.warnings()).containsExactly("providers.p.add_headers[0] (line 7): sets authorization, "
        + "the header that authorization \"bearer\" sends the apikey in; put the key in apikey instead");

    ApertureConfig anthropic = parse(provider(
        "\"authorization\": \"x-api-key\", \"add_headers\": [\"Authorization: Bearer x\", \"X-Api-Key: y\"],"));
    assertThat(anthropic.warnings()).singleElement().asString()
        .startsWith("providers.p.add_headers[1] (line 7): sets X-Api-Key");
  }

  @Test
  void grantsThatGrantNothingAreWarnings() {
    ApertureConfig config = parse("{\n" + PROVIDERS + """
          "grants": [
            {"src": ["*"]},
            {"src": ["*"], "app": {"tailscale.com/cap/tsidp": [{"users": ["*"]}]}},
            {"src": ["*"], "app": {"tailscale.com/cap/aperture": []}},
            {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "admin"}]}},
            {"src": ["*"], "dst": ["*"], "app": {"tailscale.com/cap/aperture": [
              {"role": "user", "models": [], "quota": []},
            ]}},
          ],
        }
        """);

    assertThat(config.warnings()).containsExactly(
        "grants[0] (line 4): has no \"app\": {\"tailscale.com/cap/aperture\": [...]}, so it grants nothing",
        "grants[2].app[\"tailscale.com/cap/aperture\"] (line 6): lists no capability, so the grant grants "
            + "nothing",
        "grants[4].app[\"tailscale.com/cap/aperture\"][0].quota (line 9): unknown capability field \"quota\" "
            + "ignored; did you mean \"quotas\"?",
        "grants[4].app[\"tailscale.com/cap/aperture\"][0].models (line 9): is empty, so the capability grants "
            + "no model");
    assertThat(config.grants()).hasSize(5);
    // A custom capability is kept for hooks; dst is accepted; a role-only object is valid.
    assertThat(config.grants().get(1).customCapabilities()).containsOnlyKeys("tailscale.com/cap/tsidp");
    assertThat(config.grants().get(4).destinations()).containsExactly("*");
    assertThat(config.grants().get(3).capabilities().get(0).isFloating()).isTrue();
  }

  @Test
  void unknownQuotaFieldsAreWarnings() {
    ApertureConfig config = parse("{\n" + PROVIDERS + """
          "quotas": {"q": {"capacity": "$1", "rate": "$1/day", "onexceed": "reject"}},
        }
        """);

    assertThat(config.warnings()).containsExactly("quotas.q.onexceed (line 3): unknown quota field "
        + "\"onexceed\" ignored; did you mean \"on_exceed\"?");
  }

  @Test
  void anEmptyProvidersMapIsAWarning() {
    assertThat(parse("{\"providers\": {}}").warnings())
        .containsExactly("providers (line 1): no providers are configured; no model will route");
  }

  @Test
  void everyWarningIsLoggedAtWarningLevelWithTheSourceAndNoKey() {
    String text = ConfigTesting.resource("aperture-openrouter.hujson")
        .replace("\"grants\"", "\"exporters\": {},\n  \"grants\"")
        .replace("\"name\"", "\"add_headers\": [\"Authorization: Bearer " + OPENROUTER_KEY + "\"],\n      \"name\"");

    ApertureConfig config = parse(text);

    assertThat(config.warnings()).hasSize(1);
    assertThat(config.notes()).hasSize(1);
    assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
    List<String> logged = records.stream().filter(r -> r.getLevel() == Level.WARNING)
        .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters())).toList();
    assertThat(logged).containsExactly("test.hujson: " + config.warnings().get(0));
    assertThat(String.join("\n", logged)).doesNotContain(OPENROUTER_KEY);
  }
}
