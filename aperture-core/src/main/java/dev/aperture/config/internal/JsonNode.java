package dev.aperture.config.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A parsed HuJSON value that remembers where it was written, so validation can name the line of every
 * problem. Positions are 1-based.
 */
sealed interface JsonNode {
  int line();

  int column();

  /** An object; members in file order. Duplicate keys are reported by the reader and dropped. */
  record ObjectNode(Map<String, Member> members, int line, int column) implements JsonNode {
    public ObjectNode {
      members = java.util.Collections.unmodifiableMap(members);
    }
  }

  /** One {@code "key": value} pair; its position is the key's. */
  record Member(String key, JsonNode value, int line, int column) {
  }

  record ArrayNode(List<JsonNode> elements, int line, int column) implements JsonNode {
    public ArrayNode {
      elements = List.copyOf(elements);
    }
  }

  record StringNode(String value, int line, int column) implements JsonNode {
  }

  /** A number exactly as written: {@code text} tells {@code 1} from {@code 1.0}. */
  record NumberNode(BigDecimal value, String text, int line, int column) implements JsonNode {
  }

  record BooleanNode(boolean value, int line, int column) implements JsonNode {
  }

  record NullNode(int line, int column) implements JsonNode {
  }
}
