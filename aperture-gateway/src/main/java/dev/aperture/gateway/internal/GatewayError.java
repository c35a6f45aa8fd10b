package dev.aperture.gateway.internal;

import dev.aperture.AccessDeniedException;
import dev.aperture.ApertureException;
import dev.aperture.AuthenticationException;
import dev.aperture.CallTimeoutException;
import dev.aperture.HookBlockedException;
import dev.aperture.HookFailedException;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.ModelNotFoundException;
import dev.aperture.ModerationException;
import dev.aperture.ProviderConnectionException;
import dev.aperture.ProviderException;
import dev.aperture.ProviderUnavailableException;
import dev.aperture.QuotaExceededException;
import dev.aperture.RateLimitedException;
import dev.aperture.Redactor;
import dev.aperture.UnsupportedApiFormatException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway answers a failure: an HTTP status and an OpenAI-shaped body
 * {@code {"error":{"message","type","code"}}} ({@code code} left out when null, as Aperture's guardrail
 * envelope has none), plus {@code Retry-After} when there is one.
 */
public record GatewayError(int status, String type, @Nullable String code, String message,
    @Nullable Duration retryAfter) {

  public static GatewayError badRequest(String code, String message) {
    return new GatewayError(400, "invalid_request_error", code, message, null);
  }

  /**
   * Maps what the Router threw. Unknown and ungranted models are both 404 with the same message, as
   * Aperture answers, so a caller cannot probe which models exist.
   */
  public static GatewayError of(ApertureException e) {
    if (e instanceof ModelNotFoundException notFound) return modelNotFound(notFound.model());
    // A caller with no role at all is refused as Aperture refuses it (403); a model the caller may not use
    // is "not found", exactly like an unknown one, so nothing reveals which models exist.
    if (e instanceof AccessDeniedException denied) {
      if (denied.denial() == dev.aperture.AccessDecision.Denial.NO_ROLE) {
        return new GatewayError(403, "permission_denied", null,
            "you have no role (user or admin) in this gateway's grants", null);
      }
      return modelNotFound(denied.model());
    }
    if (e instanceof HookBlockedException blocked) {
      int status = blocked.statusCode() >= 400 && blocked.statusCode() <= 599 ? blocked.statusCode() : 403;
      String message = blocked.hookMessage().isEmpty() ? "the request was blocked by a guardrail" : blocked.hookMessage();
      return new GatewayError(status, "guardrail_blocked", null, message, null);
    }
    if (e instanceof HookFailedException) {
      return new GatewayError(503, "server_error", "guardrail_unavailable", String.valueOf(e.getMessage()), null);
    }
    if (e instanceof QuotaExceededException quota) {
      return new GatewayError(429, "insufficient_quota", "quota_exceeded", String.valueOf(e.getMessage()),
          quota.retryAfter());
    }
    if (e instanceof ProviderUnavailableException) {
      return new GatewayError(503, "server_error", "provider_unavailable", String.valueOf(e.getMessage()), null);
    }
    if (e instanceof CallTimeoutException) {
      return new GatewayError(504, "upstream_error", "upstream_timeout", String.valueOf(e.getMessage()), null);
    }
    if (e instanceof UnsupportedApiFormatException) {
      return new GatewayError(400, "invalid_request_error", "unsupported_api_format", String.valueOf(e.getMessage()), null);
    }
    if (e instanceof ProviderException p) return ofProvider(p);
    return new GatewayError(502, "upstream_error", "upstream_error", String.valueOf(e.getMessage()), null);
  }

  private static GatewayError modelNotFound(String model) {
    return new GatewayError(404, "invalid_request_error", "model_not_found",
        "The model '" + model + "' does not exist or you do not have access to it.", null);
  }

  private static GatewayError ofProvider(ProviderException e) {
    String message = "provider '" + e.providerId() + "': " + e.getMessage();
    if (e instanceof RateLimitedException) {
      return new GatewayError(429, "rate_limit_error", "rate_limited", message, e.retryAfter());
    }
    if (e instanceof AuthenticationException) {
      // The client's own key plays no part: the gateway's configured key was refused. Not the client's
      // fault, so not a 401 to the client.
      return new GatewayError(502, "upstream_error", "upstream_authentication_failed",
          "provider '" + e.providerId() + "' rejected the gateway's configured API key: " + e.getMessage(), null);
    }
    if (e instanceof InsufficientCreditsException) {
      return new GatewayError(402, "insufficient_quota", "insufficient_credits", message, null);
    }
    if (e instanceof ModerationException) {
      return new GatewayError(403, "invalid_request_error", "content_policy_violation", message, null);
    }
    if (e instanceof ProviderConnectionException connection) {
      return connection.timedOut()
          ? new GatewayError(504, "upstream_error", "upstream_timeout", message, null)
          : new GatewayError(502, "upstream_error", "upstream_unreachable", message, null);
    }
    int status = e.statusCode();
    if (status == 503) return new GatewayError(503, "upstream_error", "upstream_unavailable", message, e.retryAfter());
    if (status == 408) return new GatewayError(504, "upstream_error", "upstream_timeout", message, null);
    if (status >= 400 && status < 500) {
      // The upstream refused this request as made (bad parameters, no endpoint for tools, ...).
      return new GatewayError(status, "invalid_request_error", "upstream_rejected", message, null);
    }
    return new GatewayError(502, "upstream_error", "upstream_error", message, e.retryAfter());
  }

  /** For a bug: says nothing about the request. */
  public static GatewayError internal() {
    return new GatewayError(500, "server_error", "internal_error", "the gateway failed; see its log", null);
  }

  /** The gateway is full or stopping: retry in a second. */
  public static GatewayError unavailable(String code, String message) {
    return new GatewayError(503, "server_error", code, message, Duration.ofSeconds(1));
  }

  /** This error with its message passed through {@code redactor}: the last step before it leaves. */
  public GatewayError redacted(Redactor redactor) {
    String redacted = redactor.redact(message);
    return redacted.equals(message) ? this : new GatewayError(status, type, code, redacted, retryAfter);
  }

  /** The body as JSON-like values. */
  public Map<String, @Nullable Object> body() {
    Map<String, @Nullable Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("type", type);
    if (code != null) error.put("code", code);
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("error", error);
    return body;
  }

  public String toJson() {
    return Wire.toJson(body());
  }

  /** {@code Retry-After} in whole seconds, rounded up; null when none applies. */
  public @Nullable String retryAfterHeader() {
    if (retryAfter == null) return null;
    long seconds = (retryAfter.toMillis() + 999) / 1000;
    return Long.toString(Math.max(0, seconds));
  }
}
