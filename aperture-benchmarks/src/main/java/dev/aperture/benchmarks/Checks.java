package dev.aperture.benchmarks;

import org.jspecify.annotations.Nullable;

/** Set-up checks: a benchmark whose call does not really return the stub's answer must not run. */
final class Checks {
  static final String ANSWER = "Hello! How can I help you today?";

  private Checks() {
  }

  /** Every content chunk of the stub's stream is one word and a space. */
  static void expectStreamText(String way, @Nullable String text) {
    int words = text == null ? 0 : text.split(" ").length;
    if (words != StubUpstream.STREAM_CONTENT_CHUNKS) {
      throw new IllegalStateException(way + " streamed " + words + " words instead of "
          + StubUpstream.STREAM_CONTENT_CHUNKS);
    }
  }

  static void expectAnswer(String way, @Nullable String text) {
    if (!ANSWER.equals(text)) {
      throw new IllegalStateException(way + " returned " + text + " instead of the stub's answer");
    }
  }
}
