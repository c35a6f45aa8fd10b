package dev.aperture.config.internal;

import dev.aperture.config.Authorization;
import dev.aperture.config.ProviderConfig;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code add_headers} arrays ({@code ["Name: value", ...]}), for providers and grant capabilities. Header
 * values may be secrets: messages name the header and the path, never the value.
 */
final class HeaderEntries {
  private HeaderEntries() {
  }

  /**
   * The valid entries of {@code node}. A malformed entry (not a string, no ':', an invalid name, a
   * non-ASCII value) is a warning and left out, as in Aperture; a control character (CR, LF, …) in a
   * value is an error, since it could inject headers into every upstream request.
   */
  static List<ProviderConfig.Header> parse(JsonNode node, String path, Diagnostics diagnostics,
      @Nullable Authorization authorization) {
    JsonNode.ArrayNode array = diagnostics.array(node, path, false);
    if (array == null) return List.of();
    List<ProviderConfig.Header> result = new ArrayList<>();
    for (int i = 0; i < array.elements().size(); i++) {
      JsonNode element = array.elements().get(i);
      String elementPath = JsonPaths.element(path, i);
      if (!(element instanceof JsonNode.StringNode string)) {
        diagnostics.warning(elementPath, element.line(), "expected a \"Name: value\" string, found "
            + Diagnostics.describe(element, false) + "; entry ignored");
        continue;
      }
      String text = string.value();
      int colon = text.indexOf(':');
      if (colon < 0) {
        if (Diagnostics.hasControl(text)) {
          diagnostics.error(elementPath, element.line(), "contains a control character (CR, LF, …): "
              + "it could inject headers upstream");
        } else {
          diagnostics.warning(elementPath, element.line(), "expected \"Name: value\", but there is no "
              + "':' (" + text.length() + " chars); entry ignored");
        }
        continue;
      }
      String rawName = text.substring(0, colon);
      String rawValue = text.substring(colon + 1);
      String name = rawName.strip();
      String value = rawValue.strip();
      // Checked before stripping: a trailing CR or LF is as much an injection attempt as an inner one.
      if (Diagnostics.hasControl(rawValue) || Diagnostics.hasControl(rawName)) {
        diagnostics.error(elementPath, element.line(), "the "
            + (Diagnostics.hasControl(rawName) ? "name" : "value of header " + Diagnostics.show(name))
            + " contains a control character (CR, LF, …): it could inject headers upstream");
        continue;
      }
      if (!ProvidersParser.isToken(name)) {
        diagnostics.warning(elementPath, element.line(), "invalid header name " + Diagnostics.show(name)
            + ": it must be a non-empty token (letters, digits and !#$%&'*+-.^_`|~, no spaces); entry "
            + "ignored");
        continue;
      }
      if (!isAscii(value)) {
        diagnostics.warning(elementPath, element.line(), "the value of header " + name + " has a "
            + "non-ASCII character; HTTP header values must be printable ASCII; entry ignored");
        continue;
      }
      if (authorization != null && name.equalsIgnoreCase(authorization.headerName())) {
        diagnostics.warning(elementPath, element.line(), "sets " + name + ", the header that "
            + "authorization " + JsonPaths.quote(authorization.wireName())
            + " sends the apikey in; put the key in apikey instead");
      }
      result.add(new ProviderConfig.Header(name, value));
    }
    return result;
  }

  private static boolean isAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x7f) return false;
    }
    return true;
  }
}
