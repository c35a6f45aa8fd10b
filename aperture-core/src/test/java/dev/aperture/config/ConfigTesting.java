package dev.aperture.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Parsing with an injected environment, never the process's. */
final class ConfigTesting {
  static final String OPENROUTER_KEY = "sk-or-v1-0123456789abcdef-test-only";
  static final Map<String, String> ENVIRONMENT = Map.of("OPENROUTER_API_KEY", OPENROUTER_KEY);

  private ConfigTesting() {
  }

  static ApertureConfig parse(String text) {
    return ApertureConfig.parse(text, "test.hujson", ENVIRONMENT::get);
  }

  static ApertureConfig parseStrict(String text) {
    return ApertureConfig.parseStrict(text, "test.hujson", ENVIRONMENT::get);
  }

  /**
   * Every problem {@code text} has at the strict (save-time) level, errors and warnings together, in file
   * order; fails if it has none.
   */
  static List<ConfigProblem> problems(String text) {
    ConfigurationException[] thrown = new ConfigurationException[1];
    assertThatThrownBy(() -> parseStrict(text))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> thrown[0] = e);
    return thrown[0].problems();
  }

  /** The hard errors {@code text} has: what stops even a lenient load. */
  static List<ConfigProblem> errors(String text) {
    ConfigurationException[] thrown = new ConfigurationException[1];
    assertThatThrownBy(() -> parse(text))
        .isInstanceOfSatisfying(ConfigurationException.class, e -> thrown[0] = e);
    return thrown[0].problems();
  }

  /** The only problem {@code text} has. */
  static ConfigProblem problem(String text) {
    List<ConfigProblem> problems = problems(text);
    if (problems.size() != 1) throw new AssertionError("expected one problem, got " + problems);
    return problems.get(0);
  }

  /** A configuration with one provider {@code p} whose entry is {@code fields} plus a valid baseurl/models. */
  static String provider(String fields) {
    return """
        {
          "providers": {
            "p": {
              "baseurl": "https://example.com/api/",
              "models": ["m1"],
              "apikey": "k",
        """ + fields + """
            },
          },
        }
        """;
  }

  /** The 1-based line of the first line of {@code text} containing {@code marker}. */
  static int lineOf(String text, String marker) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(marker)) return i + 1;
    }
    throw new AssertionError("no line contains " + marker);
  }

  static String resource(String name) {
    try (InputStream in = ConfigTesting.class.getResourceAsStream("/" + name)) {
      if (in == null) throw new AssertionError("missing test resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
