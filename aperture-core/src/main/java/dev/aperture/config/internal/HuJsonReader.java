package dev.aperture.config.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A recursive-descent reader for HuJSON: JSON plus {@code //} and {@code /* *}{@code /} comments and
 * trailing commas. Every value keeps its line and column. Hand-written rather than Moshi's lenient mode
 * because lenient mode accepts far more than HuJSON (unquoted strings, {@code =}, {@code ;}) and does not
 * report lines.
 *
 * <p>The first syntax error stops reading (what follows it cannot be trusted); duplicate keys are
 * recorded and reading goes on, so they are reported together with the validation problems.
 */
final class HuJsonReader {
  /** Deep enough for any real configuration, shallow enough that recursion cannot overflow the stack. */
  static final int MAX_DEPTH = 64;

  private final String text;
  private final Diagnostics diagnostics;
  private int pos;
  private int line = 1;
  private int lineStart;

  private HuJsonReader(String text, Diagnostics diagnostics) {
    this.text = text;
    this.diagnostics = diagnostics;
  }

  /**
   * Reads {@code text}, which must hold exactly one object. Returns null after recording a syntax error
   * in {@code diagnostics}.
   */
  static JsonNode.@Nullable ObjectNode readDocument(String text, Diagnostics diagnostics) {
    HuJsonReader reader = new HuJsonReader(text, diagnostics);
    try {
      return reader.document();
    } catch (SyntaxError e) {
      diagnostics.error(e.path, e.line, e.getMessage());
      return null;
    }
  }

  private JsonNode.ObjectNode document() {
    if (text.startsWith("\uFEFF")) {
      pos = 1;
      lineStart = 1;
    }
    skipBlanks("");
    if (atEnd()) {
      throw error("", "the configuration is empty; expected an object such as "
          + "{\"providers\": {...}}");
    }
    char c = peek();
    if (c != '{') {
      throw error("", "the configuration must be a JSON object ({...}), found " + startOf(c));
    }
    JsonNode.ObjectNode root = object("", 1);
    skipBlanks("");
    if (!atEnd()) {
      throw error("", "unexpected " + describe(peek()) + " after the end of the configuration object");
    }
    return root;
  }

  private JsonNode value(String path, int depth) {
    skipBlanks(path);
    if (atEnd()) throw error(path, "unexpected end of text; expected a value");
    char c = peek();
    if (c == '{') return object(path, depth + 1);
    if (c == '[') return array(path, depth + 1);
    if (c == '"') return string(path);
    if (c == '-' || (c >= '0' && c <= '9')) return number(path);
    if (Character.isLetter(c)) return literal(path);
    if (c == '\'') throw error(path, "strings must be in double quotes, not single quotes");
    throw error(path, "unexpected " + describe(c) + "; expected a value");
  }

  private JsonNode.ObjectNode object(String path, int depth) {
    int startLine = line;
    int startColumn = column();
    checkDepth(path, depth);
    pos++; // '{'
    Map<String, JsonNode.Member> members = new LinkedHashMap<>();
    while (true) {
      skipBlanks(path);
      if (atEnd()) throw notClosed(path, "object", startLine, startColumn);
      char c = peek();
      if (c == '}') {
        pos++;
        return new JsonNode.ObjectNode(members, startLine, startColumn);
      }
      if (c != '"') {
        String hint = c == '\'' || Character.isLetter(c) ? " (keys must be in double quotes)" : "";
        throw error(path, "expected a quoted key or '}', found " + describe(c) + hint);
      }
      int keyLine = line;
      int keyColumn = column();
      String key = string(path).value();
      String memberPath = JsonPaths.member(path, key);
      skipBlanks(memberPath);
      if (atEnd()) throw notClosed(path, "object", startLine, startColumn);
      if (peek() != ':') {
        throw error(memberPath, "expected ':' after key " + JsonPaths.quote(key) + ", found "
            + describe(peek()));
      }
      pos++;
      JsonNode value = value(memberPath, depth);
      JsonNode.Member previous = members.get(key);
      if (previous != null) {
        // Aperture (Go's JSON decoding) warns and keeps the last value.
        diagnostics.warning(memberPath, keyLine, "duplicate key " + JsonPaths.quote(key)
            + "; it is already set at line " + previous.line() + ", and this later value replaces it");
        members.remove(key);
      }
      members.put(key, new JsonNode.Member(key, value, keyLine, keyColumn));
      skipBlanks(path);
      if (atEnd()) throw notClosed(path, "object", startLine, startColumn);
      c = peek();
      if (c == ',') {
        pos++;
      } else if (c != '}') {
        throw error(memberPath, "expected ',' or '}' after the value of " + JsonPaths.quote(key)
            + ", found " + describe(c) + " (missing comma?)");
      }
    }
  }

  private JsonNode.ArrayNode array(String path, int depth) {
    int startLine = line;
    int startColumn = column();
    checkDepth(path, depth);
    pos++; // '['
    List<JsonNode> elements = new ArrayList<>();
    while (true) {
      skipBlanks(path);
      if (atEnd()) throw notClosed(path, "array", startLine, startColumn);
      char c = peek();
      if (c == ']') {
        pos++;
        return new JsonNode.ArrayNode(elements, startLine, startColumn);
      }
      if (c == ',') throw error(JsonPaths.element(path, elements.size()), "unexpected ','; expected a value");
      String elementPath = JsonPaths.element(path, elements.size());
      elements.add(value(elementPath, depth));
      skipBlanks(path);
      if (atEnd()) throw notClosed(path, "array", startLine, startColumn);
      c = peek();
      if (c == ',') {
        pos++;
      } else if (c != ']') {
        throw error(elementPath, "expected ',' or ']' after an array element, found " + describe(c)
            + " (missing comma?)");
      }
    }
  }

  private JsonNode.StringNode string(String path) {
    int startLine = line;
    int startColumn = column();
    pos++; // '"'
    StringBuilder result = new StringBuilder();
    while (true) {
      if (atEnd() || peek() == '\n' || peek() == '\r') {
        throw new SyntaxError(path, startLine, "unterminated string starting at column " + startColumn
            + (atEnd() ? "" : " (a string cannot span lines; write \\n)"));
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return new JsonNode.StringNode(result.toString(), startLine, startColumn);
      }
      if (c == '\\') {
        escape(path, result, startLine, startColumn);
        continue;
      }
      if (c < 0x20) {
        throw error(path, "control character " + describe(c) + " in a string; write it as an escape");
      }
      result.append(c);
      pos++;
    }
  }

  private void escape(String path, StringBuilder result, int startLine, int startColumn) {
    pos++; // '\'
    if (atEnd()) {
      throw new SyntaxError(path, startLine, "unterminated string starting at column " + startColumn);
    }
    char c = text.charAt(pos);
    switch (c) {
      case '"', '\\', '/' -> result.append(c);
      case 'b' -> result.append('\b');
      case 'f' -> result.append('\f');
      case 'n' -> result.append('\n');
      case 'r' -> result.append('\r');
      case 't' -> result.append('\t');
      case 'u' -> {
        int value = 0;
        for (int i = 1; i <= 4; i++) {
          int digit = pos + i < text.length() ? Character.digit(text.charAt(pos + i), 16) : -1;
          if (digit < 0) {
            pos--;
            throw error(path, "invalid \\u escape in a string; expected four hex digits");
          }
          value = value * 16 + digit;
        }
        result.append((char) value);
        pos += 4;
      }
      default -> {
        pos--;
        throw error(path, "invalid escape \\" + (c < 0x20 || c > 0x7e ? describe(c) : c)
            + " in a string; allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
      }
    }
    pos++;
  }

  private JsonNode.NumberNode number(String path) {
    int startLine = line;
    int startColumn = column();
    int start = pos;
    if (peek() == '-') pos++;
    boolean valid = digits() > 0;
    if (valid && text.charAt(start + (text.charAt(start) == '-' ? 1 : 0)) == '0'
        && pos - start > (text.charAt(start) == '-' ? 2 : 1)) {
      valid = false; // leading zero
    }
    if (valid && !atEnd() && peek() == '.') {
      pos++;
      valid = digits() > 0;
    }
    if (valid && !atEnd() && (peek() == 'e' || peek() == 'E')) {
      pos++;
      if (!atEnd() && (peek() == '+' || peek() == '-')) pos++;
      valid = digits() > 0;
    }
    if (valid && !atEnd() && isWordChar(peek())) valid = false;
    if (!valid) {
      while (!atEnd() && (isWordChar(peek()) || peek() == '.' || peek() == '+' || peek() == '-')) pos++;
      String word = text.substring(start, Math.min(pos, start + 40));
      throw new SyntaxError(path, startLine, "at column " + startColumn + ": invalid number '" + word
          + "'");
    }
    String number = text.substring(start, pos);
    try {
      return new JsonNode.NumberNode(new BigDecimal(number), number, startLine, startColumn);
    } catch (NumberFormatException e) {
      throw new SyntaxError(path, startLine, "at column " + startColumn + ": number out of range");
    }
  }

  private int digits() {
    int count = 0;
    while (!atEnd() && peek() >= '0' && peek() <= '9') {
      pos++;
      count++;
    }
    return count;
  }

  private JsonNode literal(String path) {
    int startLine = line;
    int startColumn = column();
    int start = pos;
    while (!atEnd() && isWordChar(peek())) pos++;
    String word = text.substring(start, pos);
    switch (word) {
      case "true":
        return new JsonNode.BooleanNode(true, startLine, startColumn);
      case "false":
        return new JsonNode.BooleanNode(false, startLine, startColumn);
      case "null":
        return new JsonNode.NullNode(startLine, startColumn);
      default:
        String shown = word.length() > 40 ? word.substring(0, 40) + "..." : word;
        throw new SyntaxError(path, startLine, "at column " + startColumn + ": unexpected '" + shown
            + "'; strings must be in double quotes, literals are true, false and null");
    }
  }

  /** Skips whitespace and comments. */
  private void skipBlanks(String path) {
    while (!atEnd()) {
      char c = peek();
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '/') {
        char next = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        if (next == '/') {
          while (!atEnd() && peek() != '\n') pos++;
        } else if (next == '*') {
          int startLine = line;
          int startColumn = column();
          pos += 2;
          while (true) {
            if (atEnd()) {
              throw new SyntaxError(path, startLine, "unclosed /* comment starting at column "
                  + startColumn);
            }
            char d = peek();
            if (d == '*' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
              pos += 2;
              break;
            }
            pos++;
            if (d == '\n') {
              line++;
              lineStart = pos;
            }
          }
        } else {
          throw error(path, "unexpected '/'; comments start with // or /*");
        }
      } else {
        return;
      }
    }
  }

  private void checkDepth(String path, int depth) {
    if (depth > MAX_DEPTH) throw error(path, "values nested deeper than " + MAX_DEPTH + " levels");
  }

  private SyntaxError notClosed(String path, String what, int startLine, int startColumn) {
    return error(path, "unexpected end of text: the " + what + " opened at line " + startLine
        + ", column " + startColumn + " is not closed");
  }

  private SyntaxError error(String path, String message) {
    return new SyntaxError(path, line, "at column " + column() + ": " + message);
  }

  private int column() {
    return pos - lineStart + 1;
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  private char peek() {
    return text.charAt(pos);
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static String startOf(char c) {
    if (c == '[') return "an array";
    if (c == '"') return "a string";
    if (c == '-' || (c >= '0' && c <= '9')) return "a number";
    return describe(c);
  }

  static String describe(char c) {
    if (c >= 0x21 && c <= 0x7e) return "'" + c + "'";
    return String.format("U+%04X", (int) c);
  }

  /** Stops reading; never escapes this class. */
  private static final class SyntaxError extends RuntimeException {
    final String path;
    final int line;

    SyntaxError(String path, int line, String message) {
      super(message, null, false, false);
      this.path = path;
      this.line = line;
    }
  }
}
