package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the one redaction hides: every secret whole, JSON-escaped, and any 8-character piece of one. */
class RedactorTest {
  private static final String KEY = "sk-or-v1-0123456789abcdefSENTINEL";
  private static final String HEADER = "hdr/secret&value=42xyz";
  private final Redactor redactor = Redactor.of(List.of(KEY, HEADER));

  private static void assertNoPieceOf(String text, String secret) {
    for (int i = 0; i + 8 <= secret.length(); i++) {
      assertThat(text).doesNotContain(secret.substring(i, i + 8));
    }
  }

  @Test
  void aWholeSecretIsMasked() {
    assertThat(redactor.redact("key " + KEY + " and " + HEADER)).isEqualTo("key <redacted> and <redacted>");
  }

  @Test
  void aQuotedFragmentOfASecretIsMaskedWhole() {
    String text = "upstream said: invalid key '..." + KEY.substring(5, 27) + "...' (truncated)";

    String redacted = redactor.redact(text);

    assertNoPieceOf(redacted, KEY);
    assertThat(redacted).startsWith("upstream said: invalid key '...").endsWith("...' (truncated)");
  }

  @Test
  void aJsonEscapedSecretIsMasked() {
    String json = "{\"echo\": \"hdr\\/secret\\u0026value\\u003d42xyz\"}";

    assertThat(redactor.redact(json)).isEqualTo("{\"echo\": \"<redacted>\"}");
  }

  @Test
  void redactionComesBeforeTheCutAtEveryOffset() {
    for (int offset = 0; offset < 60; offset++) {
      String text = "x".repeat(offset) + KEY + " tail";
      for (int cut = 0; cut < text.length(); cut++) {
        assertNoPieceOf(redactor.redactThenTruncate(text, cut), KEY);
        // A text already cut by someone else (a body read up to a limit) is still cleaned of the piece it kept.
        assertNoPieceOf(redactor.redact(text.substring(0, cut)), KEY);
      }
    }
  }

  @Test
  void textWithoutSecretsIsUnchanged() {
    assertThat(redactor.redact("model 'qwen/qwen3' not found")).isEqualTo("model 'qwen/qwen3' not found");
    assertThat(Redactor.none().redact(KEY)).isEqualTo(KEY);
  }
}
