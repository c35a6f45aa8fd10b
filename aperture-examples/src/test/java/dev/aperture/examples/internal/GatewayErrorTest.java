package dev.aperture.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.AccessDeniedException;
import dev.aperture.ApiFormat;
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

  private static int status(int upstream) {
    return GatewayError.of(ProviderException.builder("openrouter").statusCode(upstream).message("failed").build())
        .status();
  }
}
