package dev.aperture.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.AccessDeniedException;
import dev.aperture.AuthenticationException;
import dev.aperture.Caller;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.ModelNotFoundException;
import dev.aperture.ProviderConnectionException;
import dev.aperture.VerifyResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class VerifyTableTest {
  @Test
  void rendersOneAlignedRowPerModelAndASummary() {
    String table = VerifyTable.render(List.of(
        new VerifyResult("openrouter/qwen/qwen3-235b-a22b-2507", "openrouter", true, Duration.ofMillis(412), null, null),
        new VerifyResult("x-ai/grok-code-fast-1", "openrouter", false, Duration.ofMillis(3),
            "caller 'bob' is not granted model 'x-ai/grok-code-fast-1'",
            new AccessDeniedException(Caller.of("bob"), "x-ai/grok-code-fast-1"))));
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("MODEL").contains("PROVIDER", "LATENCY", "REASON");
    assertThat(lines.get(1)).contains("openrouter/qwen/qwen3-235b-a22b-2507", "✓", "412 ms").doesNotContain("✗");
    assertThat(lines.get(2)).contains("x-ai/grok-code-fast-1", "✗", "3 ms",
        "not granted: caller 'bob' is not granted model 'x-ai/grok-code-fast-1'");
    // Columns line up: the provider column starts at the same offset in every row.
    assertThat(lines.get(1).indexOf("openrouter  ")).isEqualTo(lines.get(0).indexOf("PROVIDER"));
    assertThat(lines.get(3)).isEqualTo("2 models, 1 ok, 1 failed");
  }

  @Test
  void namesTheKindOfEachFailure() {
    assertThat(reason(AuthenticationException.builder("openrouter").statusCode(401)
        .message("User not found.").build()))
        .isEqualTo("bad key: User not found.");
    assertThat(reason(InsufficientCreditsException.builder("openrouter").statusCode(402)
        .message("requires more credits").build()))
        .isEqualTo("no credits: requires more credits");
    assertThat(reason(new ModelNotFoundException("qwen/qwen3", List.of("qwen/qwen3-235b-a22b-2507"))))
        .isEqualTo("unknown model: model 'qwen/qwen3' not found; did you mean 'qwen/qwen3-235b-a22b-2507'?");
    assertThat(reason(ProviderConnectionException.builder("openrouter").message("connection refused")
        .retryable(true).cause(new IOException("refused")).build())).isEqualTo("unreachable: connection refused");
  }

  @Test
  void keepsTheReasonOnOneShortLine() {
    String reason = VerifyTable.reason(new VerifyResult("m", null, false, Duration.ZERO,
        "first line\nsecond line " + "x".repeat(300), null));
    assertThat(reason).doesNotContain("\n").startsWith("first line second line").hasSizeLessThanOrEqualTo(160);
  }

  private static String reason(dev.aperture.ApertureException error) {
    return VerifyTable.reason(new VerifyResult("m", "openrouter", false, Duration.ZERO, null, error));
  }
}
