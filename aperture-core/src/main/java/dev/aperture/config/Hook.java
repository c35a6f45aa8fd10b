package dev.aperture.config;

import java.util.Collections;
import java.util.LinkedHashMap;
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
    // Not Map.copyOf: JSON null is a legitimate value here.
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
