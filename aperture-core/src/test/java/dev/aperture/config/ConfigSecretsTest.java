package dev.aperture.config;

import static dev.aperture.config.ConfigTesting.OPENROUTER_KEY;
import static dev.aperture.config.ConfigTesting.problem;
import static dev.aperture.config.ConfigTesting.problems;
import static dev.aperture.config.ConfigTesting.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.aperture.ApiKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ${VAR}} in apikey, resolved through the injected environment, and keys never shown. */
final class ConfigSecretsTest {
  private static String withApiKey(String apikey, String moreFields) {
    return """
        {
          "providers": {
            "openrouter": {
              "baseurl": "https://openrouter.ai/api/",
              "models": ["qwen/qwen3-235b-a22b-2507"],
              "apikey": "%s",
              %s
            },
          },
        }
        """.formatted(apikey, moreFields);
  }

  private static ApertureConfig parse(String text, Map<String, String> environment) {
    return ApertureConfig.parse(text, "test.hujson", environment::get);
  }

  @Test
  void resolvesTheSeedsKeyFromTheInjectedEnvironment() {
    ApertureConfig config = ConfigTesting.parse(resource("aperture-openrouter.hujson"));

    assertThat(config.providers().get("openrouter").apiKey()).isEqualTo(ApiKey.of(OPENROUTER_KEY));
  }

  @Test
  void resolvesEveryReferenceAnywhereInTheKey() {
    ApertureConfig config = parse(withApiKey("pre-${A}-mid-${B_2}${A}-post", ""),
        Map.of("A", "x", "B_2", "yy"));

    assertThat(config.providers().get("openrouter").apiKey().reveal()).isEqualTo("pre-x-mid-yyx-post");
  }

  @Test
  void aKeyWithoutReferencesIsTakenLiterallyIncludingALoneDollar() {
    ApertureConfig config = parse(withApiKey("sk-pa$$word-$A-{B}", ""), Map.of());

    assertThat(config.providers().get("openrouter").apiKey().reveal()).isEqualTo("sk-pa$$word-$A-{B}");
  }

  @Test
  void theProcessEnvironmentIsNeverConsulted() {
    // PATH is set in any process that runs Maven, but not in the injected environment.
    assertThat(System.getenv("PATH")).isNotNull();

    ConfigProblem problem = problem(withApiKey("${PATH}", ""));

    assertThat(problem.message()).contains("environment variable PATH is not set");
  }

  @Test
  void aMissingVariableNamesTheVariableAndTheProviderButNotTheRestOfTheKey() {
    String text = withApiKey("sk-or-v1-literal-part-${OPENROUTER_KEY_TYPO}", "");

    ConfigProblem problem = problem(text);

    assertThat(problem.toString()).isEqualTo("providers.openrouter.apikey (line 6): environment variable "
        + "OPENROUTER_KEY_TYPO is not set (needed by provider \"openrouter\")");
  }

  @Test
  void everyMissingVariableIsReported() {
    assertThat(problems(withApiKey("${ONE}-${TWO}", ""))).extracting(ConfigProblem::message)
        .containsExactly(
            "environment variable ONE is not set (needed by provider \"openrouter\")",
            "environment variable TWO is not set (needed by provider \"openrouter\")");
  }

  @Test
  void malformedReferencesAreErrorsThatDoNotShowTheKey() {
    for (String apikey : List.of("sk-secret-${", "sk-secret-${OPEN", "sk-secret-${}", "${sk-secret}",
        "${1ABC}", "${A B}")) {
      ConfigProblem problem = problem(withApiKey(apikey, ""));
      assertThat(problem.path()).as(apikey).isEqualTo("providers.openrouter.apikey");
      assertThat(problem.message()).as(apikey).containsAnyOf("without a closing '}'", "malformed ${...}")
          .doesNotContain("secret").doesNotContain(apikey);
    }
  }

  @Test
  void anEmptyOrMissingKeyIsAWarningNotAnError() {
    ApertureConfig emptyVariable = parse(withApiKey("${OPENROUTER_API_KEY}", ""),
        Map.of("OPENROUTER_API_KEY", ""));
    assertThat(emptyVariable.providers().get("openrouter").apiKey()).isEqualTo(ApiKey.none());
    assertThat(emptyVariable.warnings()).containsExactly("providers.openrouter.apikey (line 6): no apikey; "
        + "calls to this provider are sent without a key");

    ApertureConfig noKey = ConfigTesting.parse("""
        {"providers": {
          "local": {"baseurl": "http://127.0.0.1:11434/", "models": ["llama3"]},
        }}
        """);
    assertThat(noKey.providers().get("local").apiKey().isEmpty()).isTrue();
    assertThat(noKey.warnings()).containsExactly(
        "providers.local (line 2): no apikey; calls to this provider are sent without a key");
  }

  @Test
  void theResolvedKeyAppearsNowhereInTheConfigurationsToString() {
    ApertureConfig config = ConfigTesting.parse(resource("aperture-openrouter.hujson"));

    assertThat(config.toString()).doesNotContain(OPENROUTER_KEY).contains("ApiKey[redacted]");
    assertThat(config.providers().get("openrouter").toString()).doesNotContain(OPENROUTER_KEY);
  }

  @Test
  void anErrorInAnotherFieldOfTheSameProviderDoesNotShowTheKey() {
    String text = withApiKey("${OPENROUTER_API_KEY}", """
        "preference": "high", "authorization": "Bearer", "add_headers": ["nocolon"],
            "compatibility": {"openai_chat": false}, "baseURL": "x",""");

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> ConfigTesting.parseStrict(text));

    assertThat(e.problems()).hasSize(5);
    assertThat(e.getMessage()).doesNotContain(OPENROUTER_KEY);
    assertThat(e.toString()).doesNotContain(OPENROUTER_KEY);
    for (ConfigProblem problem : e.problems()) assertThat(problem.toString()).doesNotContain(OPENROUTER_KEY);
  }

  @Test
  void aKeyWrittenWhereAnotherTypeBelongsIsNotEchoed() {
    String secret = "sk-or-v1-pasted-in-the-wrong-place";
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () ->
        ConfigTesting.parse(withApiKey("k", "\"add_headers\": \"Authorization: Bearer " + secret + "\",")));
    assertThat(e.getMessage()).contains("expected an array, found a string").doesNotContain(secret);

    ConfigProblem numericKey = problem(withApiKey("k", "").replace("\"apikey\": \"k\"", "\"apikey\": 123456789"));
    assertThat(numericKey.toString()).isEqualTo(
        "providers.openrouter.apikey (line 6): expected a string, found a number");
  }

  @Test
  void headerValuesAreRedactedAndNotEchoedInErrorsOrWarnings() {
    String secret = "sk-header-secret-42";
    Map<String, String> environment = new HashMap<>(ConfigTesting.ENVIRONMENT);
    ApertureConfig config = parse(withApiKey("${OPENROUTER_API_KEY}",
        "\"add_headers\": [\"Authorization: Bearer " + secret + "\", \"X-Secret: " + secret + "\"],"),
        environment);

    assertThat(config.providers().get("openrouter").addHeaders().get(1).value()).isEqualTo(secret);
    assertThat(config.toString()).doesNotContain(secret).doesNotContain(OPENROUTER_KEY);
    assertThat(config.warnings()).singleElement().asString()
        .contains("sets Authorization").doesNotContain(secret).doesNotContain("Bearer sk");

    ConfigProblem problem = problem(withApiKey("k", "\"add_headers\": [\"X-Secret: " + secret + "\\u0000\"],"));
    assertThat(problem.toString()).doesNotContain(secret);
  }
}
