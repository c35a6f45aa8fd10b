package dev.aperture.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.AccessDeniedException;
import dev.aperture.ApiFormat;
import dev.aperture.CallTimeoutException;
import dev.aperture.HookBlockedException;
import dev.aperture.HookFailedException;
import dev.aperture.ProviderUnavailableException;
import dev.aperture.QuotaExceededException;
import dev.aperture.Redactor;
import dev.aperture.AuthenticationException;
import dev.aperture.Caller;
import dev.aperture.ModelNotFoundException;
import dev.aperture.ProviderException;
import dev.aperture.RateLimitedException;
import dev.aperture.UnsupportedApiFormatException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class GatewayErrorTest {
  @Test
  void unknownAndUngrantedModelsLookTheSame() {
    GatewayError notFound = GatewayError.of(new ModelNotFoundException("x/y", List.of("x/z")));
    GatewayError denied = GatewayError.of(new AccessDeniedException(Caller.of("bob"), "x/y"));
    assertThat(notFound).isEqualTo(denied);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.code()).isEqualTo("model_not_found");
    assertThat(notFound.message()).doesNotContain("x/z").doesNotContain("bob");
  }

  @Test
  void rateLimitsKeepRetryAfterRoundedUpToSeconds() {
    GatewayError error = GatewayError.of(RateLimitedException.builder("openrouter").statusCode(429)
        .message("slow down").retryable(true).retryAfter(Duration.ofMillis(2500)).build());
    assertThat(error.status()).isEqualTo(429);
    assertThat(error.retryAfterHeader()).isEqualTo("3");
    assertThat(error.toJson()).isEqualTo(
        "{\"error\":{\"message\":\"provider 'openrouter': slow down\",\"type\":\"rate_limit_error\",\"code\":\"rate_limited\"}}");
  }

  @Test
  void mapsFormatAuthAndUpstreamStatuses() {
    assertThat(GatewayError.of(new UnsupportedApiFormatException("openrouter", "m", ApiFormat.OPENAI_RESPONSES,
        Set.of(ApiFormat.OPENAI_CHAT))).status()).isEqualTo(400);
    assertThat(GatewayError.of(AuthenticationException.builder("openrouter").statusCode(401).message("bad").build()).status())
        .isEqualTo(502);
    assertThat(status(503)).isEqualTo(503);
    assertThat(status(502)).isEqualTo(502);
    assertThat(status(500)).isEqualTo(502);
    assertThat(status(400)).isEqualTo(400);
    assertThat(GatewayError.of(RateLimitedException.builder("o").statusCode(429).message("m").retryable(true).build()).retryAfterHeader())
        .isNull();
  }

  @Test
  void aGuardrailBlockIsTheHooksStatusInApertureEnvelope() {
    GatewayError error = GatewayError.of(new HookBlockedException("pii", 451, "contains an SSN"));
    assertThat(error.status()).isEqualTo(451);
    assertThat(error.toJson()).isEqualTo("{\"error\":{\"message\":\"contains an SSN\",\"type\":\"guardrail_blocked\"}}");
    assertThat(GatewayError.of(new HookBlockedException("pii", 0, "")).status()).isEqualTo(403);
  }

  @Test
  void governanceRefusalsMapAsApertureAnswersThem() {
    assertThat(GatewayError.of(new HookFailedException("pii", "timed out after 5 s", null)).status()).isEqualTo(503);
    GatewayError quota = GatewayError.of(new QuotaExceededException("daily:alice", -5, Duration.ofMillis(61_001)));
    assertThat(quota.status()).isEqualTo(429);
    assertThat(quota.retryAfterHeader()).isEqualTo("62");
    assertThat(quota.code()).isEqualTo("quota_exceeded");
    assertThat(GatewayError.of(new ProviderUnavailableException("anthropic", "claude", "no factory")).status())
        .isEqualTo(503);
    assertThat(GatewayError.of(new CallTimeoutException(Duration.ofSeconds(2), List.of("openrouter/m"), null)).status())
        .isEqualTo(504);
  }

  @Test
  void redactionHidesEverySecretInTheMessage() {
    GatewayError error = GatewayError.of(ProviderException.builder("openrouter").statusCode(400)
        .message("you sent key sk-or-SENTINEL-1234 and header X-Secret: hdr-SENTINEL-5678").build());
    String json = error.redacted(Redactor.of(List.of("sk-or-SENTINEL-1234", "hdr-SENTINEL-5678"))).toJson();
    assertThat(json).doesNotContain("SENTINEL").contains(Redactor.MASK);
  }

  private static int status(int upstream) {
    return GatewayError.of(ProviderException.builder("openrouter").statusCode(upstream).message("failed").build())
        .status();
  }
}
