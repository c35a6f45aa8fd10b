package dev.aperture.internal.hooks;

import dev.aperture.GuardrailResponse;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What asking one hook once came to: its answer, or why there is none. */
public sealed interface HookAnswer {
  /** The hook answered (for post-response events, with {@link GuardrailResponse#allow()}). */
  record Answered(GuardrailResponse response) implements HookAnswer {
    public Answered {
      Objects.requireNonNull(response, "response == null");
    }
  }

  /** The hook failed; {@code reason} is already redacted. */
  record Failed(HookFailure.Kind kind, String reason, @Nullable Throwable cause) implements HookAnswer {
    public Failed {
      Objects.requireNonNull(kind, "kind == null");
      Objects.requireNonNull(reason, "reason == null");
    }
  }
}
