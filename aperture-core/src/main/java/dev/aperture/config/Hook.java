package dev.aperture.config;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code hooks}, kept for a later version that runs them.
 *
 * @param name the hook's key
 * @param preference chain order: higher first, then by name
 * @param failOpen {@code fail_open} (true) or {@code fail_closed} (false)
 * @param fields the whole entry as JSON-like values
 */
public record Hook(String name, int preference, boolean failOpen, Map<String, @Nullable Object> fields) {
  public Hook {
    fields = Map.copyOf(fields);
  }
}
