package dev.aperture.config.internal;

import dev.aperture.config.ApertureConfig;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** HuJSON text → validated {@link ApertureConfig}. */
public final class ConfigParser {
  private ConfigParser() {
  }

  public static ApertureConfig parse(String text, String sourceName,
      Function<String, @Nullable String> environment) {
    throw new UnsupportedOperationException("TODO: config parser");
  }
}
