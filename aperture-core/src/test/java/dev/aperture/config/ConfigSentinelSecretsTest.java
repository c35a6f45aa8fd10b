package dev.aperture.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Distinct sentinel secrets in every secret slot of a file, and in wrong places: none of them, nor any
 * 8-character piece of one, appears in a warning, a note, an error or any configuration value's
 * {@code toString()}; the configuration's redactor hides every one.
 */
class ConfigSentinelSecretsTest {
  private static final String INLINE_KEY = "sk-or-v1-INLINEKEYsentinel0001";
  private static final String ENV_KEY = "sk-or-v1-ENVKEYsentinel00000002";
  private static final String HOOK_KEY = "hk-HOOKKEYsentinel000000000003";
  private static final String HEADER_VALUE = "hv-HEADERVALUEsentinel00000004";
  private static final String GRANT_HEADER = "gh-GRANTHEADERsentinel00000005";
  private static final String URL_PASSWORD = "pw-URLPASSWORDsentinel00000006";
  private static final String HOOK_URL_PASSWORD = "pw-HOOKURLPWsentinel0000000007";
  private static final String MISPLACED = "sk-or-v1-MISPLACEDsentinel00008";
  private static final List<String> SENTINELS = List.of(INLINE_KEY, ENV_KEY, HOOK_KEY, HEADER_VALUE,
      GRANT_HEADER, URL_PASSWORD, HOOK_URL_PASSWORD, MISPLACED);
  private static final Map<String, String> ENVIRONMENT = Map.of("ENV_KEY", ENV_KEY);

  /** Every slot filled, plus things that warn so the warnings are exercised too. */
  private static final String FILE = """
      {
        "providers": {
          "inline": {"baseurl": "https://user:%s@inline.example/api/", "apikey": "%s",
                     "models": ["m"], "add_headers": ["X-Second-Auth: %s", "Authorization: %s"],
                     "extra": "%s"},
          "env": {"baseurl": "https://env.example/api/", "apikey": "${ENV_KEY}", "models": ["m"],
                  "authorization": "%s"},
          "nourl": {"apikey": "%s", "models": ["m"]}
        },
        "hooks": {
          "guard": {"url": "https://hook:%s@guard.example/check", "apikey": "%s",
                    "authorization": "%s"},
          "nourl": {"apikey": "%s"}
        },
        "quotas": {"q:<user>": {"capacity": "$1.00", "rate": "$1.00/day"}},
        "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user", "models": "**", "add_headers": ["X-Grant: %s", "%s"],
           "quotas": [{"bucket": "%s"}], "send_hooks": [{"name": "%s", "events": ["pre_request"]}]}]}}],
        "model_aliases": {"strategy": "%s", "models": {"a": {"dst": ["nowhere/m"], "strategy": "%s"}}},
        "exporters": {"s3": {"secret": "%s"}}
      }
      """.formatted(URL_PASSWORD, INLINE_KEY, HEADER_VALUE, HEADER_VALUE, MISPLACED, MISPLACED,
      INLINE_KEY, HOOK_URL_PASSWORD, HOOK_KEY, MISPLACED, HOOK_KEY, GRANT_HEADER, MISPLACED,
      MISPLACED, MISPLACED, MISPLACED, MISPLACED, MISPLACED);

  private static void assertNoSentinel(String text) {
    for (String sentinel : SENTINELS) {
      for (int i = 0; i + 8 <= sentinel.length(); i++) {
        String piece = sentinel.substring(i, i + 8);
        if (text.contains(piece)) {
          throw new AssertionError("found '" + piece + "' of a sentinel in: " + text);
        }
      }
    }
  }

  @Test
  void noSentinelInAnyWarningNoteOrToString() {
    ApertureConfig config = ApertureConfig.parse(FILE, "s.hujson", ENVIRONMENT::get);

    assertThat(config.warnings()).isNotEmpty();
    List<String> outputs = new ArrayList<>(config.warnings());
    config.notes().forEach(n -> outputs.add(n.toString()));
    outputs.add(config.toString());
    config.providers().values().forEach(p -> outputs.add(p.toString()));
    config.hooks().values().forEach(h -> outputs.add(h.toString()));
    config.grants().forEach(g -> outputs.add(g.toString()));
    config.quotas().values().forEach(q -> outputs.add(q.toString()));
    outputs.add(config.modelAliases().toString());
    config.providers().values().forEach(p -> p.addHeaders().forEach(h -> outputs.add(h.toString())));
    outputs.add(config.providers().get("inline").apiKey().toString());
    outputs.add(config.redactor().toString());
    for (String output : outputs) assertNoSentinel(output);

    // The redactor knows every secret the file holds in a secret slot.
    String leaked = String.join(" | ", INLINE_KEY, ENV_KEY, HOOK_KEY, HEADER_VALUE, GRANT_HEADER,
        URL_PASSWORD, HOOK_URL_PASSWORD);
    assertNoSentinel(config.redactor().redact(leaked));
    assertNoSentinel(config.providers().get("inline").redactor().redact(INLINE_KEY + HEADER_VALUE
        + URL_PASSWORD));
    assertNoSentinel(config.hooks().get("guard").redactor().redact(HOOK_KEY + " " + HOOK_URL_PASSWORD));
    assertNoSentinel(config.grants().get(0).redactor().redact(GRANT_HEADER));
  }

  @Test
  void noSentinelInStrictErrors() {
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> ApertureConfig.parseStrict(FILE, "s.hujson", ENVIRONMENT::get));

    assertThat(e.problems().size()).isGreaterThan(5);
    assertNoSentinel(e.getMessage());
    for (ConfigProblem problem : e.problems()) assertNoSentinel(problem.toString());
  }

  @Test
  void aKeyWhereAProviderBelongsIsDescribedByLengthOnly() {
    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> ApertureConfig.parse("{\"providers\": {\"apikey\": \"" + MISPLACED + "\"}}"));

    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "providers.apikey (line 1): expected an object, found a string (31 chars)");
    assertNoSentinel(e.getMessage());
  }

  @Test
  void secretsInWrongPlacesOfHardErrorsAreNotQuoted() {
    String text = """
        {"providers": {"p": {"baseurl": "https://p.example/", "models": ["m"], "apikey": "k",
           "preference": "%s"}},
         "quotas": {"q": {"capacity": "%s", "rate": "$1/day", "on_exceed": "%s"}},
         "hooks": {"h": {"url": "https://h.example/", "timeout": "%s", "fail_policy": "%s"}},
         "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "%s"}]}}]}
        """.formatted(MISPLACED, MISPLACED, MISPLACED, MISPLACED, MISPLACED, MISPLACED);

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> ApertureConfig.parse(text));

    assertThat(e.problems()).hasSize(6);
    assertNoSentinel(e.getMessage());
  }

  @Test
  void aLineBreakInAKeyOrHeaderIsAnErrorNamingThePathNeverTheValue() {
    Map<String, String> environment = Map.of("ENV_KEY", ENV_KEY + "\r\nX-Injected-By-Key: yes");
    String text = """
        {"providers": {"p": {"baseurl": "https://p.example/", "models": ["m"], "apikey": "${ENV_KEY}",
           "add_headers": ["X-A: %s\\nX-Injected: yes"]}},
         "hooks": {"h": {"url": "https://h.example/", "apikey": "%s\\u0000"}},
         "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
           {"role": "user", "add_headers": ["X-G: %s\\r"]}]}}]}
        """.formatted(HEADER_VALUE, HOOK_KEY, GRANT_HEADER);

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
        () -> ApertureConfig.parse(text, "s.hujson", environment::get));

    assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly(
        "providers.p.apikey", "providers.p.add_headers[0]", "hooks.h.apikey",
        "grants[0].app[\"tailscale.com/cap/aperture\"][0].add_headers[0]");
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).contains("control character"));
    assertNoSentinel(e.getMessage());
    assertThat(e.getMessage()).doesNotContain("Injected");
  }
}
