package dev.aperture.config;

import static dev.aperture.config.ConfigTesting.lineOf;
import static dev.aperture.config.ConfigTesting.problem;
import static dev.aperture.config.ConfigTesting.problems;
import static dev.aperture.config.ConfigTesting.provider;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every validation error names its JSON path, its line and what is wrong. */
final class ConfigValidationTest {
  private static final String PROVIDERS = """
      "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "models": ["m"], "apikey": "k"}},
      """;

  @Test
  void aWrongTypeSaysExpectedAndFoundWithPathAndLine() {
    String text = """
        {
          "providers": {
            "openrouter": {
              "baseurl": "https://openrouter.ai/api/",
              "models": ["m"],
              "apikey": "k",
              "preference": "high",
            },
          },
        }
        """;

    ConfigProblem problem = problem(text);

    assertThat(problem.toString())
        .isEqualTo("providers.openrouter.preference (line 7): expected an integer, found string \"high\"");
  }

  @Test
  void everyProviderFieldChecksItsType() {
    String text = provider("""
              "authorization": 1,
              "compatibility": [],
              "add_headers": "X-A: b",
              "preference": 1.5,
              "disabled": "yes",
              "name": false,
              "description": null,
              "cost_basis": {},
              "type": 7,
        """);

    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "providers.p.authorization (line 7): expected a string, found number 1",
        "providers.p.compatibility (line 8): expected an object, found an array",
        "providers.p.add_headers (line 9): expected an array, found a string (6 chars)",
        "providers.p.preference (line 10): expected an integer, found number 1.5",
        "providers.p.disabled (line 11): expected a boolean (true or false), found string \"yes\"",
        "providers.p.name (line 12): expected a string, found boolean false",
        "providers.p.description (line 13): expected a string, found null",
        "providers.p.cost_basis (line 14): expected a string, found an object",
        "providers.p.type (line 15): expected a string, found number 7");
  }

  @Test
  void integralNumbersWrittenWithAFractionOrExponentAreIntegers() {
    assertThat(ConfigTesting.parse(provider("\"preference\": 2.0,")).providers().get("p").preference())
        .isEqualTo(2);
    assertThat(ConfigTesting.parse(provider("\"preference\": 1e2,")).providers().get("p").preference())
        .isEqualTo(100);
  }

  @Test
  void aPreferenceBeyondIntIsOutOfRange() {
    assertThat(problem(provider("\"preference\": 2147483648,")).message())
        .isEqualTo("integer 2147483648 is out of range");
    assertThat(problem(provider("\"preference\": 1e999999999,")).message())
        .isEqualTo("integer 1e999999999 is out of range");
  }

  @Test
  void providersIsRequiredAndMustBeAnObject() {
    // Aperture loads a file without providers (MCP-only) with a warning; strict refuses it.
    assertThat(problem("{\"grants\": []}").toString())
        .isEqualTo("providers (line 1): no \"providers\": no model will route (valid for a file that only "
            + "configures MCP or connectors)");
    assertThat(problem("{\"providers\": []}").toString())
        .isEqualTo("providers (line 1): expected an object, found an array");
  }

  @Test
  void aProviderMustBeAnObject() {
    assertThat(problem("{\"providers\": {\"p\": \"https://example.com\"}}").toString())
        .isEqualTo("providers.p (line 1): expected an object, found string \"https://example.com\"");
  }

  @Test
  void baseurlAndModelsAreRequired() {
    String text = """
        {
          "providers": {
            "p": {"apikey": "k"},
          },
        }
        """;

    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "providers.p (line 3): missing required field \"models\", the model names this provider serves",
        "providers.p (line 3): no \"baseurl\", the upstream root such as \"https://openrouter.ai/api/\"; "
            + "the provider is kept but cannot route");
  }

  @Test
  void baseurlMustBeAnAbsoluteHttpOrHttpsUrlWithAHost() {
    assertThat(baseUrlProblem("openrouter.ai/api")).contains("must be an absolute http or https URL");
    assertThat(baseUrlProblem("/api/")).contains("must be an absolute http or https URL");
    assertThat(baseUrlProblem("ftp://openrouter.ai/")).isEqualTo("the scheme must be http or https, found \"ftp\"");
    assertThat(baseUrlProblem("https:///api")).isEqualTo("the URL has no valid host");
    assertThat(baseUrlProblem("http:opaque")).contains("no valid host");
    assertThat(baseUrlProblem("https://open router.ai/")).startsWith("not a valid URL: ");
    assertThat(baseUrlProblem("")).contains("must be an absolute");
  }

  private static String baseUrlProblem(String baseUrl) {
    ConfigProblem problem = problem("{\"providers\": {\"p\": {\"baseurl\": \"" + baseUrl
        + "\", \"models\": [\"m\"], \"apikey\": \"k\"}}}");
    assertThat(problem.path()).isEqualTo("providers.p.baseurl");
    assertThat(problem.line()).isEqualTo(1);
    return problem.message();
  }

  @Test
  void httpAndUppercaseSchemesAreAccepted() {
    assertThat(ConfigTesting.parse("{\"providers\": {\"p\": {\"baseurl\": \"HTTP://127.0.0.1:8080/v1\", "
        + "\"models\": [\"m\"], \"apikey\": \"k\"}}}").providers().get("p").baseUrl())
        .isEqualTo("HTTP://127.0.0.1:8080/v1");
  }

  @Test
  void modelsMustBeANonEmptyArrayOfNamesWithoutWhitespaceOrDuplicates() {
    String text = """
        {"providers": {"p": {
          "baseurl": "https://example.com/",
          "models": [
            "qwen/qwen3-235b-a22b-2507",
            "",
            "x-ai/grok-code-fast-1",
            "google/gemini 2.5",
            3,
            "qwen/qwen3-235b-a22b-2507",
          ],
        }}}
        """;

    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "providers.p (line 1): no apikey; calls to this provider are sent without a key",
        "providers.p.models[1] (line 5): a model name must not be empty",
        "providers.p.models[3] (line 7): model name \"google/gemini 2.5\" must not contain whitespace",
        "providers.p.models[4] (line 8): expected a string, found number 3",
        "providers.p.models[5] (line 9): duplicate model a string (25 chars), already listed at "
            + "models[0]");
    assertThat(problem(provider("").replace("[\"m1\"]", "[]")).toString())
        .isEqualTo("providers.p.models (line 5): lists no model; the provider serves nothing");
  }

  @Test
  void aProviderIdMustBeNonEmptyWithoutSlashOrWhitespace() {
    String text = """
        {"providers": {
          "": {"baseurl": "https://example.com/", "models": ["m"], "apikey": "k"},
          "open/router": {"baseurl": "https://example.com/", "models": ["m"], "apikey": "k"},
          "open router": {"baseurl": "https://example.com/", "models": ["m"], "apikey": "k"},
        }}
        """;

    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "providers[\"\"] (line 2): a provider id must not be empty",
        "providers.open/router (line 3): a provider id must not contain '/': models are asked for as "
            + "<provider id>/<model>",
        "providers[\"open router\"] (line 4): a provider id must not contain whitespace");
  }

  @Test
  void anUnknownAuthorizationListsTheAllowedValues() {
    ConfigProblem problem = problem(provider("\"authorization\": \"basic\","));

    assertThat(problem.toString()).isEqualTo("providers.p.authorization (line 7): unknown authorization "
        + "\"basic\"; allowed values: bearer, x-api-key, x-goog-api-key; the provider is kept but cannot "
        + "route");
  }

  @Test
  void anUnknownCompatibilityFlagSuggestsTheNearestKnownOne() {
    String text = provider("""
              "compatibility": {
                "openai_chat": true,
                "openai_response": true,
                "completely_different": true,
              },
        """);

    List<ConfigProblem> problems = problems(text);

    assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
        "providers.p.compatibility.openai_response (line 9): unknown compatibility flag "
            + "\"openai_response\" ignored; did you mean \"openai_responses\"?",
        "providers.p.compatibility.completely_different (line 10): unknown compatibility flag "
            + "\"completely_different\" ignored; known flags: openai_chat, openai_responses, "
            + "anthropic_messages, gemini_generate_content, google_generate_content, google_raw_predict, "
            + "bedrock_model_invoke, bedrock_converse, experimental_gemini_cli_vertex_compat");
  }

  @Test
  void aCompatibilityFlagMustBeABoolean() {
    assertThat(problem(provider("\"compatibility\": {\"openai_chat\": \"true\"},")).toString())
        .isEqualTo("providers.p.compatibility.openai_chat (line 7): expected a boolean (true or false), "
            + "found string \"true\"");
  }

  @Test
  void aCompatibilityBlockThatEnablesNoFormatIsAnError() {
    assertThat(problem(provider("\"compatibility\": {\"openai_chat\": false},")).toString())
        .isEqualTo("providers.p.compatibility (line 7): enables no API format; no call can be routed to "
            + "this provider. Set a flag to true, such as \"openai_chat\": true");
    // An empty block enables nothing else, so openai_chat stays on, as in Aperture.
    assertThat(ConfigTesting.parseStrict(provider("\"compatibility\": {},")).providers().get("p")
        .compatibility()).containsExactly(dev.aperture.ApiFormat.OPENAI_CHAT);
  }

  @Test
  void addHeadersNeedAColonAndATokenName() {
    String text = provider("""
              "add_headers": [
                "X-Ok: fine",
                "NoColonHere",
                "Bad Name: value",
                ": no name",
                "X-(paren): v",
                42,
              ],
        """);

    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "providers.p.add_headers[1] (line 9): expected \"Name: value\", but there is no ':' (11 chars); "
            + "entry ignored",
        "providers.p.add_headers[2] (line 10): invalid header name \"Bad Name\": it must be a non-empty "
            + "token (letters, digits and !#$%&'*+-.^_`|~, no spaces); entry ignored",
        "providers.p.add_headers[3] (line 11): invalid header name \"\": it must be a non-empty token "
            + "(letters, digits and !#$%&'*+-.^_`|~, no spaces); entry ignored",
        "providers.p.add_headers[4] (line 12): invalid header name \"X-(paren)\": it must be a non-empty "
            + "token (letters, digits and !#$%&'*+-.^_`|~, no spaces); entry ignored",
        "providers.p.add_headers[5] (line 13): expected a \"Name: value\" string, found a number; entry "
            + "ignored");
    // A lenient load keeps the valid entry and drops the rest, as Aperture does.
    assertThat(ConfigTesting.parse(text).providers().get("p").addHeaders())
        .containsExactly(new dev.aperture.config.ProviderConfig.Header("X-Ok", "fine"));
  }

  @Test
  void aHeaderValueWithALineBreakIsRejectedWithoutShowingIt() {
    // An error even at load: a line break would inject headers into every upstream request.
    ConfigProblem problem = ConfigTesting.errors(
        provider("\"add_headers\": [\"X-Token: abc\\r\\nInjected: yes\"],")).get(0);

    assertThat(problem.toString()).isEqualTo(
        "providers.p.add_headers[0] (line 7): the value of header \"X-Token\" contains a control character "
            + "(CR, LF, …): it could inject headers upstream");
  }

  @Test
  void aNonAsciiHeaderValueIsRejectedWithoutShowingIt() {
    ConfigProblem problem = problem(provider("\"add_headers\": [\"X-Token: s\u00e9cret-value-123\"],"));

    assertThat(problem.message()).contains("non-ASCII").doesNotContain("cret-value-123");
  }

  @Test
  void costBasisAndTypeMustNotBeEmpty() {
    assertThat(problems(provider("\"cost_basis\": \"\", \"type\": \"\",")))
        .extracting(ConfigProblem::toString).containsExactly(
            "providers.p.cost_basis (line 7): must not be empty",
            "providers.p.type (line 7): must not be empty");
  }

  @Test
  void grantsMustBeAnArrayOfObjects() {
    assertThat(problem("{\n" + PROVIDERS + "\"grants\": {}}").toString())
        .isEqualTo("grants (line 3): expected an array, found an object");
    assertThat(problem("{\n" + PROVIDERS + "\"grants\": [\"*\"]}").toString())
        .isEqualTo("grants[0] (line 3): expected an object, found string \"*\"");
  }

  @Test
  void grantSourcesMustBeANonEmptyArrayOfWellFormedEntries() {
    String text = "{\n" + PROVIDERS + """
          "grants": [
            {"app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"]}]}},
            {"src": [], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"]}]}},
            {"src": "*", "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"]}]}},
            {"src": [
               "",
               "   ",
               "group:",
               "tag:",
               " alice@example.com",
               7,
               "group:eng",
             ],
             "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"]}]}},
          ],
        }
        """;

    // An empty src is valid and inert (no problem for grants[1]); the rest name nobody, with a warning.
    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "grants[0] (line 4): has no \"src\", so it applies to nobody; write [\"*\"] for everyone",
        "grants[2].src (line 6): expected an array, found string \"*\"",
        "grants[3].src[0] (line 8): an empty source names nobody; use \"*\" for everyone",
        "grants[3].src[1] (line 9): an empty source names nobody; use \"*\" for everyone",
        "grants[3].src[2] (line 10): source \"group:\" has no name after 'group:', so it names nobody",
        "grants[3].src[3] (line 11): source \"tag:\" has no name after 'tag:', so it names nobody",
        "grants[3].src[4] (line 12): source \" alice@example.com\" contains whitespace, so it names nobody",
        "grants[3].src[5] (line 13): expected a string, found number 7");
  }

  @Test
  void aCapabilityNeedsAKnownRoleAndWellFormedModelGlobs() {
    String text = "{\n" + PROVIDERS + """
          "grants": [{
            "src": ["*"],
            "app": {"tailscale.com/cap/aperture": [
              {"models": ["**"]},
              {"role": "owner", "models": ["**"]},
              {"role": "User", "models": ["**"]},
              {"role": "user", "models": ["", "openrouter/ qwen", 1, "openrouter/**"]},
              {"role": "user", "models": "**"},
              "user",
            ]},
          }],
        }
        """;

    // A capability without a role is valid (the role may come from another object or grant), and
    // "models" may be one glob string.
    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "grants[0].app[\"tailscale.com/cap/aperture\"][1].role (line 7): unknown role \"owner\"; allowed: "
            + "user, admin",
        "grants[0].app[\"tailscale.com/cap/aperture\"][2].role (line 8): unknown role \"User\"; allowed: "
            + "user, admin",
        "grants[0].app[\"tailscale.com/cap/aperture\"][3].models[2] (line 9): expected a string, found "
            + "number 1",
        "grants[0].app[\"tailscale.com/cap/aperture\"][3].models[0] (line 9): model glob \"\" is empty; it is "
            + "ignored",
        "grants[0].app[\"tailscale.com/cap/aperture\"][3].models[1] (line 9): model glob \"openrouter/ qwen\" "
            + "contains whitespace, which no model name has; it is ignored",
        "grants[0].app[\"tailscale.com/cap/aperture\"][5] (line 11): expected an object, found string "
            + "\"user\"");
  }

  @Test
  void aGrantsQuotaBucketMustBeDefinedInQuotas() {
    String text = "{\n" + PROVIDERS + """
          "quotas": {"daily:<user>": {"capacity": "$10.00", "rate": "$5.00/day"}},
          "grants": [{
            "src": ["*"],
            "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": ["**"], "quotas": [
              {"bucket": "daily:<user>"},
              {"bucket": "daly:<user>"},
              {"bucket": "monthly"},
              {},
              "daily:<user>",
            ]}]},
          }],
        }
        """;

    String capability = "grants[0].app[\"tailscale.com/cap/aperture\"][0]";
    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        capability + ".quotas[1].bucket (line 8): quota bucket \"daly:<user>\" is not defined in \"quotas\"; "
            + "nothing is charged for it; did you mean \"daily:<user>\"?",
        capability + ".quotas[2].bucket (line 9): quota bucket \"monthly\" is not defined in \"quotas\"; "
            + "nothing is charged for it",
        capability + ".quotas[3] (line 10): has no \"bucket\", the name of a quota; ignored",
        capability + ".quotas[4] (line 11): expected an object, found string \"daily:<user>\"");
  }

  @Test
  void aBucketOfAnInvalidQuotaIsNotReportedTwice() {
    String text = "{\n" + PROVIDERS + """
          "quotas": {"daily:<user>": {"capacity": "10", "rate": "$5.00/day"}},
          "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user", "models": ["**"], "quotas": [{"bucket": "daily:<user>"}]}]}}],
        }
        """;

    assertThat(problems(text)).extracting(ConfigProblem::path).containsExactly("quotas.daily:<user>.capacity");
  }

  @Test
  void quotasValidateMoneyRateUnitsAndOnExceed() {
    String text = "{\n" + PROVIDERS + """
          "quotas": {
            "a": {"capacity": "10.00", "rate": "$5.00/day"},
            "b": {"capacity": "$10.00", "rate": "$5.00/fortnight"},
            "c": {"capacity": "$-1", "rate": "5/day"},
            "d": {"capacity": 10, "rate": "$1/hour", "on_exceed": "log"},
            "e": {"rate": "$1/hour"},
            "f": {"capacity": "$0", "rate": "$1.5.0/hour"},
            "g": "$10",
          },
        }
        """;

    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "quotas.a.capacity (line 4): capacity must be a dollar amount such as \"$10.00\" (at most 9 "
            + "decimals), found \"10.00\"",
        "quotas.b.rate (line 5): unknown rate unit \"fortnight\"; allowed: min, hour, day, week, month",
        "quotas.c.capacity (line 6): capacity must be a dollar amount such as \"$10.00\" (at most 9 "
            + "decimals), found \"$-1\"",
        "quotas.c.rate (line 6): the rate's amount must be a dollar amount such as \"$10.00\" (at most 9 "
            + "decimals), found \"5\"",
        "quotas.d.capacity (line 7): expected a string, found number 10",
        "quotas.d.on_exceed (line 7): unknown on_exceed \"log\"; allowed: reject",
        "quotas.e (line 8): missing required field \"capacity\", such as \"$10.00\"",
        "quotas.f.rate (line 9): the rate's amount must be a dollar amount such as \"$10.00\" (at most 9 "
            + "decimals), found \"$1.5.0\"",
        "quotas.g (line 10): expected an object, found string \"$10\"");
  }

  @Test
  void hooksValidatePreferenceAndFailurePolicy() {
    String text = "{\n" + PROVIDERS + """
          "hooks": {
            "a": {"url": "https://h.example/", "preference": "first"},
            "b": {"url": "https://h.example/", "fail_policy": "fail-open"},
            "c": {"url": "https://h.example/", "fail_policy": true},
            "d": [],
          },
        }
        """;

    assertThat(problems(text)).extracting(ConfigProblem::toString).containsExactly(
        "hooks.a.preference (line 4): expected an integer, found string \"first\"",
        "hooks.b.fail_policy (line 5): unknown fail_policy \"fail-open\"; allowed: fail_open (the "
            + "default), fail_closed",
        "hooks.c.fail_policy (line 6): expected a string, found boolean true",
        "hooks.d (line 7): expected an object, found an array");
  }

  @Test
  void quotasAndHooksMustBeObjects() {
    assertThat(problems("{\n" + PROVIDERS + "\"quotas\": [], \"hooks\": \"x\"}"))
        .extracting(ConfigProblem::toString).containsExactly(
            "quotas (line 3): expected an object, found an array",
            "hooks (line 3): expected an object, found string \"x\"");
  }

  @Test
  void everyProblemIsReportedAtOnceInFileOrder() {
    String text = """
        {
          "providers": {
            "openrouter": {
              "baseurl": "openrouter.ai",
              "models": ["a", "a"],
              "authorization": "token",
            },
            "backup": {"models": ["b"], "apikey": "k", "preference": "high"},
          },
          "quotas": {"q": {"capacity": "$1", "rate": "$1/year"}},
          "grants": [{"src": ["group:"], "app": {"tailscale.com/cap/aperture": [{"role": "root"}]}}],
          "hooks": {"h": {"failure_policy": "open"}},
        }
        """;

    ConfigurationException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        ConfigurationException.class, () -> ConfigTesting.parseStrict(text));

    assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly(
        "providers.openrouter",
        "providers.openrouter.baseurl",
        "providers.openrouter.models[1]",
        "providers.openrouter.authorization",
        "providers.backup.preference",
        "providers.backup",
        "quotas.q.rate",
        "grants[0].app[\"tailscale.com/cap/aperture\"][0].role",
        "grants[0].src[0]",
        "hooks.h.failure_policy",
        "hooks.h");
    assertThat(e.problems()).extracting(ConfigProblem::line)
        .containsExactly(3, 4, 5, 6, 8, 8, 10, 11, 11, 12, 12);
    assertThat(e.getMessage()).startsWith("invalid Aperture configuration (11 problems):\n"
        + "  providers.openrouter (line 3): no apikey");
    // Loading (not saving) reports the hard errors alone.
    assertThat(ConfigTesting.errors(text)).extracting(ConfigProblem::path).containsExactly(
        "providers.openrouter.baseurl", "providers.backup.preference", "quotas.q.rate",
        "grants[0].app[\"tailscale.com/cap/aperture\"][0].role");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ConfigTesting.parse(text)).getMessage())
        .startsWith("invalid Aperture configuration (4 problems):\n"
        + "  providers.openrouter.baseurl (line 4): must be an absolute http or https URL");
    assertThat(lineOf(text, "\"backup\"")).isEqualTo(8);
  }
}
