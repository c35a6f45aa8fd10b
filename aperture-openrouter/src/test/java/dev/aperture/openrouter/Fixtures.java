package dev.aperture.openrouter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test bodies copied from OpenRouter's documented shapes (src/test/resources/openrouter). */
final class Fixtures {
  /** A recognisable fake key: no test message may ever contain it. */
  static final String API_KEY = "sk-or-v1-FAKE-KEY-c0ffee-DO-NOT-LEAK-1234567890";

  private Fixtures() {
  }

  static String fixture(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/openrouter/" + name)) {
      if (in == null) throw new IllegalArgumentException("no fixture " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
