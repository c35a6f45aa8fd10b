package dev.aperture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One part of a message whose content is an array, such as {@code {"type":"text","text":"..."}} or
 * {@code {"type":"image_url","image_url":{"url":"..."}}}. Every field but {@code type} is kept in
 * {@link #fields()} as JSON-like values, so parts the SDK has no type for pass through unchanged.
 *
 * @param fields every field of the part except {@code type}, in order; JSON-like values (String, Number,
 *     Boolean, null, List, Map)
 */
public record ContentPart(String type, Map<String, @Nullable Object> fields) {
  public ContentPart {
    Objects.requireNonNull(type, "type == null");
    fields = JsonValues.copyOfObject(fields, "fields");
  }

  public static ContentPart text(String text) {
    return new ContentPart("text", Map.of("text", text));
  }

  public static ContentPart imageUrl(String url) {
    Map<String, @Nullable Object> fields = new LinkedHashMap<>();
    fields.put("image_url", Map.of("url", url));
    return new ContentPart("image_url", fields);
  }

  /** This part's text if it is a text part, else null. */
  public @Nullable String text() {
    Object text = fields.get("text");
    return "text".equals(type) && text instanceof String ? (String) text : null;
  }
}
