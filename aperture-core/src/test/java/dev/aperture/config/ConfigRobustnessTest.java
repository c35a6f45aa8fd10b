package dev.aperture.config;

import static dev.aperture.config.ConfigTesting.OPENROUTER_KEY;
import static dev.aperture.config.ConfigTesting.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed text of every shape gets a {@link ConfigurationException} (or loads), never a raw
 * NullPointerException, ClassCastException, IndexOutOfBoundsException, NumberFormatException or
 * StackOverflowError, and never shows the key.
 */
final class ConfigRobustnessTest {
  private static final String ANTHROPIC_SUFFIX = "anthropic-secret-suffix";
  private static final Map<String, String> ENVIRONMENT =
      Map.of("OPENROUTER_API_KEY", OPENROUTER_KEY, "ANTHROPIC_SUFFIX", ANTHROPIC_SUFFIX);
  private static final char[] REPLACEMENTS = {'"', '{', '}', '[', ']', ',', ':', '/', '*', '\\', '$',
      'x', '0', '-', ' ', '\n', '\u0000', '\u00e9'};

  private final Logger logger = Logger.getLogger("dev.aperture.config");
  private Level level;

  @BeforeEach
  void silenceWarnings() {
    // Thousands of mutated configurations load with warnings; keep the build log readable.
    level = logger.getLevel();
    logger.setLevel(Level.OFF);
  }

  @AfterEach
  void restoreWarnings() {
    logger.setLevel(level);
  }

  @Test
  void bothRealisticConfigurationsLoadUnmutated() {
    assertThat(load(resource("aperture-openrouter.hujson"))).isTrue();
    assertThat(load(resource("aperture-full.hujson"))).isTrue();
  }

  @Test
  void everyPrefixOfARealisticConfigurationFailsCleanly() {
    for (String name : new String[] {"aperture-openrouter.hujson", "aperture-full.hujson"}) {
      String text = resource(name);
      int loaded = 0;
      for (int length = 0; length < text.length(); length++) {
        if (load(text.substring(0, length))) loaded++;
      }
      // Only prefixes that end after the closing brace (trailing comments, newline) can be complete.
      assertThat(loaded).as(name).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void characterReplacementsDeletionsAndInsertionsAtEveryPositionFailCleanlyOrLoad() {
    String text = resource("aperture-full.hujson");
    int failed = 0;
    int mutations = 0;
    for (int i = 0; i < text.length(); i++) {
      String before = text.substring(0, i);
      String after = text.substring(i + 1);
      // Each position gets a rotating share of the replacement characters, so every character lands in
      // every kind of place across the file while the test stays at a few seconds.
      for (int k = 0; k < 4; k++) {
        char replacement = REPLACEMENTS[(i + k * 5) % REPLACEMENTS.length];
        if (!load(before + replacement + after)) failed++;
        if (k < 2 && !load(before + replacement + text.substring(i))) failed++;
        mutations += k < 2 ? 2 : 1;
      }
      if (!load(before + after)) failed++;
      mutations++;
    }
    // The mutations really exercise the error paths.
    assertThat(failed).isGreaterThan(mutations / 2);
  }

  @Test
  void mutatingEveryValueToEveryJsonTypeFailsCleanly() {
    String text = resource("aperture-full.hujson");
    String[] values = {"null", "true", "0", "-1.5e3", "\"\"", "\"x\"", "[]", "{}", "[null]", "{\"a\": 1}"};
    // Replace each string, number or literal value in turn: ":" or "[" or "," followed by a value.
    java.util.regex.Matcher matcher = java.util.regex.Pattern
        .compile("(?<=[:\\[,]\\s{0,20})(\"(?:[^\"\\\\]|\\\\.)*\"|-?[0-9.eE+-]+|true|false|null)")
        .matcher(text);
    int mutated = 0;
    while (matcher.find()) {
      for (String value : values) {
        load(text.substring(0, matcher.start()) + value + text.substring(matcher.end()));
        mutated++;
      }
    }
    assertThat(mutated).isGreaterThan(400);
  }

  /**
   * Whether {@code text} loaded; fails the test on anything but a clean ConfigurationException. Plain
   * checks rather than AssertJ: this runs tens of thousands of times.
   */
  private static boolean load(String text) {
    try {
      ApertureConfig config = ApertureConfig.parse(text, "mutated", ENVIRONMENT::get);
      check(!leaks(config.toString()), "the key in toString()", text);
      return true;
    } catch (ConfigurationException e) {
      check(!e.problems().isEmpty(), "no problems", text);
      int lines = text.split("\n", -1).length;
      for (ConfigProblem problem : e.problems()) {
        check(!problem.message().isBlank(), "a blank message", text);
        check(problem.line() >= 0 && problem.line() <= lines, "line " + problem.line(), text);
      }
      check(!leaks(e.getMessage()), "the key in " + e.getMessage(), text);
      return false;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("raw " + e.getClass().getName() + " for:\n" + text, e);
    }
  }

  private static boolean leaks(String text) {
    return text.contains(OPENROUTER_KEY) || text.contains(ANTHROPIC_SUFFIX);
  }

  private static void check(boolean ok, String what, String text) {
    if (!ok) throw new AssertionError(what + " for:\n" + text);
  }
}
