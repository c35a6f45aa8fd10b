package dev.aperture.config.internal;

import dev.aperture.config.ConfigProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Collects every error and warning found while loading, and offers typed reads of JSON values that
 * record "expected X, found Y" instead of throwing, so one run reports everything.
 */
final class Diagnostics {
  private final List<ConfigProblem> errors = new ArrayList<>();
  private final List<ConfigProblem> warnings = new ArrayList<>();
  private final List<ConfigProblem> notes = new ArrayList<>();

  /** Longest string value a message quotes; longer ones are described by length, as they may be secrets. */
  static final int MAX_SHOWN = 24;

  void error(String path, int line, String message) {
    errors.add(new ConfigProblem(path, line, message));
  }

  void warning(String path, int line, String message) {
    warnings.add(new ConfigProblem(path, line, message));
  }

  /** An informational note: something recognised that the SDK does not apply. */
  void note(String path, int line, String message) {
    notes.add(new ConfigProblem(path, line, message));
  }

  List<ConfigProblem> notes() {
    return List.copyOf(notes);
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** How many errors so far: compare before and after validating a part to know whether it was valid. */
  int errorCount() {
    return errors.size();
  }

  /** Errors in file order (stable for problems on one line). */
  List<ConfigProblem> errors() {
    List<ConfigProblem> result = new ArrayList<>(errors);
    result.sort(Comparator.comparingInt(ConfigProblem::line));
    return result;
  }

  List<ConfigProblem> warnings() {
    List<ConfigProblem> result = new ArrayList<>(warnings);
    result.sort(Comparator.comparingInt(ConfigProblem::line));
    return result;
  }

  // Typed reads. Each returns null after recording an error when the value has another type.

  JsonNode.@Nullable ObjectNode object(JsonNode node, String path) {
    if (node instanceof JsonNode.ObjectNode object) return object;
    return wrongType(node, path, "an object", true);
  }

  JsonNode.@Nullable ArrayNode array(JsonNode node, String path) {
    return array(node, path, true);
  }

  /** {@code showFound} false keeps a wrongly typed secret out of the message. */
  JsonNode.@Nullable ArrayNode array(JsonNode node, String path, boolean showFound) {
    if (node instanceof JsonNode.ArrayNode array) return array;
    return wrongType(node, path, "an array", showFound);
  }

  @Nullable String string(JsonNode node, String path) {
    return string(node, path, true);
  }

  /** {@code showFound} false keeps a wrongly typed secret out of the message. */
  @Nullable String string(JsonNode node, String path, boolean showFound) {
    if (node instanceof JsonNode.StringNode string) return string.value();
    return wrongType(node, path, "a string", showFound);
  }

  /** A string that must not be empty. */
  @Nullable String nonEmptyString(JsonNode node, String path) {
    String value = string(node, path);
    if (value != null && value.isEmpty()) {
      error(path, node.line(), "must not be empty");
      return null;
    }
    return value;
  }

  @Nullable Boolean bool(JsonNode node, String path) {
    if (node instanceof JsonNode.BooleanNode bool) return bool.value();
    return wrongType(node, path, "a boolean (true or false)", true);
  }

  @Nullable Integer integer(JsonNode node, String path) {
    if (node instanceof JsonNode.NumberNode number) {
      BigDecimal value = number.value();
      if (!isIntegral(value)) {
        error(path, node.line(), "expected an integer, found number " + number.text());
        return null;
      }
      // Check the magnitude before converting: 1e999999999 is integral but must not be expanded.
      if (value.signum() != 0 && value.precision() - value.scale() > 10) {
        error(path, node.line(), "integer " + abbreviate(number.text()) + " is out of range");
        return null;
      }
      try {
        return value.intValueExact();
      } catch (ArithmeticException e) {
        error(path, node.line(), "integer " + abbreviate(number.text()) + " is out of range");
        return null;
      }
    }
    return wrongType(node, path, "an integer", true);
  }

  static boolean isIntegral(BigDecimal value) {
    return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
  }

  /** Warns about every key of {@code object} not in {@code known}, suggesting the nearest known one. */
  void warnUnknownKeys(JsonNode.ObjectNode object, String path, Collection<String> known,
      String what) {
    for (JsonNode.Member member : object.members().values()) {
      if (known.contains(member.key())) continue;
      String suggestion = Suggestions.nearest(member.key(), known);
      warning(JsonPaths.member(path, member.key()), member.line(), "unknown " + what + " "
          + JsonPaths.quote(member.key()) + " ignored"
          + (suggestion != null ? "; did you mean " + JsonPaths.quote(suggestion) + "?" : ""));
    }
  }

  private <T> @Nullable T wrongType(JsonNode node, String path, String expected, boolean showFound) {
    error(path, node.line(), "expected " + expected + ", found " + describe(node, showFound));
    return null;
  }

  /**
   * A string value from the file for a message: quoted when short and printable ({@code "superuser"}),
   * otherwise only its length ({@code a string (51 chars)}) — a long value in the wrong place is most
   * likely a key, and messages never carry secrets.
   */
  static String show(String value) {
    if (value.length() <= MAX_SHOWN && !hasControl(value)) return JsonPaths.quote(value);
    return "a string (" + value.length() + " chars)";
  }

  static boolean hasControl(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
  }

  /** What a value is, for messages: {@code string "high"}, {@code number 3}, {@code an object}. */
  static String describe(JsonNode node, boolean showValue) {
    if (node instanceof JsonNode.StringNode string) {
      String value = string.value();
      if (showValue && value.length() <= MAX_SHOWN && !hasControl(value)) {
        return "string " + JsonPaths.quote(value);
      }
      return "a string (" + value.length() + " chars)";
    }
    if (node instanceof JsonNode.NumberNode number) {
      return showValue ? "number " + abbreviate(number.text()) : "a number";
    }
    if (node instanceof JsonNode.BooleanNode bool) {
      return showValue ? "boolean " + bool.value() : "a boolean";
    }
    if (node instanceof JsonNode.NullNode) return "null";
    if (node instanceof JsonNode.ArrayNode) return "an array";
    return "an object";
  }

  static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
