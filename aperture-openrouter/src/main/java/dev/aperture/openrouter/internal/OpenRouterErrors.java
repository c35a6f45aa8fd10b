package dev.aperture.openrouter.internal;

import com.squareup.moshi.JsonReader;
import dev.aperture.AuthenticationException;
import dev.aperture.InsufficientCreditsException;
import dev.aperture.ModerationException;
import dev.aperture.ProviderConnectionException;
import dev.aperture.ProviderException;
import dev.aperture.RateLimitedException;
import dev.aperture.Redactor;
import dev.aperture.internal.wire.WireFormatException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * Turns OpenRouter's failures into typed {@link ProviderException}s: HTTP error statuses with their
 * {@code {"error":{"code","message","metadata"}}} bodies (or a proxy's HTML), error objects inside 200
 * bodies and streams, malformed bodies and connection failures.
 *
 * <p>Every piece of text that reaches a message, an excerpt or a log line passes through this provider's
 * one {@link Redactor} (its key, its {@code add_headers} values, base-URL credentials and the call's own
 * header values) <em>before</em> it is shortened: a cut first could keep the head of a secret that the
 * redactor then no longer recognises.
 */
public final class OpenRouterErrors {
  private static final int SHORT_EXCERPT = 200;

  private final String providerId;
  private final List<String> secrets;
  private final Redactor redactor;
  private final Clock clock;

  public OpenRouterErrors(String providerId, Collection<String> secrets, Clock clock) {
    this.providerId = providerId;
    this.secrets = List.copyOf(secrets);
    this.redactor = Redactor.of(this.secrets);
    this.clock = clock;
  }

  /** This provider's redactor. */
  public Redactor redactor() {
    return redactor;
  }

  /** Errors for one call that also hide that call's own header values (a grant's {@code add_headers}). */
  public OpenRouterErrors forCall(Map<String, String> callHeaders) {
    if (callHeaders.isEmpty()) return this;
    List<String> all = new ArrayList<>(secrets);
    for (String value : callHeaders.values()) {
      if (value.length() >= Secrets.MIN_LENGTH) all.add(value);
    }
    return all.size() == secrets.size() ? this : new OpenRouterErrors(providerId, all, clock);
  }

  /** Whether a call that failed with this HTTP status may succeed if sent again. */
  public static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || status == 500 || status == 502 || status == 503
        || status == 504;
  }

  /**
   * A body that was read only up to a limit, made safe to redact: if the cut went through a secret, the
   * secret's head (the longest tail of {@code body} that starts one) is dropped, since the redactor would
   * no longer recognise it.
   */
  public String cutBody(String body) {
    int drop = 0;
    for (String secret : secrets) {
      for (int length = Math.min(secret.length() - 1, body.length()); length > drop; length--) {
        if (body.regionMatches(body.length() - length, secret, 0, length)) {
          drop = length;
          break;
        }
      }
    }
    return body.substring(0, body.length() - drop);
  }

  /** An HTTP error status with its body (read as far as it could be). */
  public ProviderException httpError(int status, Headers headers, String body) {
    ErrorBody error = ErrorBody.parse(body);
    String detail = error != null ? describe(error) : "(not JSON) " + shortExcerpt(body);
    String message = "provider '" + providerId + "' answered HTTP " + status + ": " + detail;
    return typed(status, status, message, error, body, retryAfter(headers));
  }

  /** An {@code error} object in the body of an HTTP 200 response: typed by its code. */
  public ProviderException errorIn200(Object errorObject, Headers headers, String body) {
    ErrorBody error = ErrorBody.of(errorObject);
    String message = "provider '" + providerId + "' answered HTTP 200 with an error instead of a "
        + "completion: " + describe(error);
    int code = error.numericCode();
    return typed(code, 0, message, error, body, retryAfter(headers));
  }

  /** An in-band {@code error} event of a stream that had begun: thrown from the chunk source. */
  public ProviderException streamError(Object errorObject) {
    ErrorBody error = ErrorBody.of(errorObject);
    return ProviderException.builder(providerId)
        .message(redact("provider '" + providerId + "' reported an error mid-stream: " + describe(error)))
        .errorCode(error.code != null ? redact(error.code) : null)
        .build();
  }

  /** A success status whose body is not a chat completion. */
  public ProviderException malformed(int status, String body, String what, @Nullable Throwable cause) {
    return ProviderException.builder(providerId)
        .statusCode(status == 200 ? 0 : status)
        .message(redact("provider '" + providerId + "' sent " + redact(what) + " (HTTP " + status + "): "
            + shortExcerpt(body)))
        .bodyExcerpt(redact(body))
        .cause(cause)
        .build();
  }

  public ProviderException malformed(int status, String body, WireFormatException e) {
    return malformed(status, body, "a malformed response body: " + e.getMessage(), e);
  }

  /**
   * The call failed in transport. Before any response byte, it may be retried (unless the call was
   * cancelled: by the application, or by the attempt's timeout, which is the call's deadline).
   */
  public ProviderConnectionException connectionFailure(IOException e, boolean beforeResponse,
      boolean canceled, String where) {
    boolean timedOut = e instanceof SocketTimeoutException
        || e instanceof InterruptedIOException && "timeout".equals(e.getMessage());
    return connectionFailure(e, beforeResponse, canceled, timedOut, where);
  }

  /** As {@link #connectionFailure(IOException, boolean, boolean, String)}, timed out or not as given. */
  public ProviderConnectionException connectionFailure(IOException e, boolean beforeResponse,
      boolean canceled, boolean timedOut, String where) {
    String what = timedOut ? "timed out" : canceled ? "was canceled" : "failed";
    String message = "call to provider '" + providerId + "' " + what + " "
        + (beforeResponse ? "before a response arrived" : "while reading the response") + " (" + where
        + "): " + e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    return ProviderConnectionException.builder(providerId)
        .message(redact(message))
        .retryable(beforeResponse && !canceled)
        .timedOut(timedOut)
        .cause(e)
        .build();
  }

  private ProviderException typed(int kind, int status, String message, @Nullable ErrorBody error,
      String body, @Nullable Duration retryAfter) {
    String safeMessage = redact(message);
    String excerpt = redact(body);
    String code = error != null && error.code != null ? redact(error.code) : null;
    boolean retryable = isRetryableStatus(kind);
    return switch (kind) {
      case 401 -> AuthenticationException.builder(providerId).statusCode(status).message(safeMessage)
          .errorCode(code).bodyExcerpt(excerpt).build();
      case 402 -> InsufficientCreditsException.builder(providerId).statusCode(status).message(safeMessage)
          .errorCode(code).bodyExcerpt(excerpt).build();
      case 403 -> ModerationException.builder(providerId).statusCode(status).message(safeMessage)
          .errorCode(code).bodyExcerpt(excerpt).reasons(redacted(error != null ? error.reasons() : List.of()))
          .build();
      case 429 -> RateLimitedException.builder(providerId).statusCode(status).message(safeMessage)
          .retryable(true).retryAfter(retryAfter).errorCode(code).bodyExcerpt(excerpt).build();
      default -> ProviderException.builder(providerId).statusCode(status).message(safeMessage)
          .retryable(retryable).retryAfter(retryable ? retryAfter : null).errorCode(code)
          .bodyExcerpt(excerpt).build();
    };
  }

  private List<String> redacted(List<String> texts) {
    List<String> result = new ArrayList<>(texts.size());
    for (String text : texts) result.add(redact(text));
    return result;
  }

  private String describe(ErrorBody error) {
    StringBuilder result = new StringBuilder(error.message != null ? redact(error.message) : "(no message)");
    if (error.code != null) result.append(" [code ").append(redact(error.code)).append(']');
    String upstream = error.metadataString("provider_name");
    if (upstream != null) result.append(" [upstream ").append(redact(upstream)).append(']');
    List<String> reasons = error.reasons();
    if (!reasons.isEmpty()) {
      result.append(" [flagged: ").append(redact(String.join(", ", reasons))).append(']');
    }
    Object raw = error.metadata().get("raw");
    if (raw != null) {
      result.append(" [upstream said: ").append(shortExcerpt(String.valueOf(raw))).append(']');
    }
    return result.toString();
  }

  /**
   * How long the server asked us to wait: {@code Retry-After-Ms} (milliseconds), else {@code Retry-After}
   * in seconds or as an HTTP date. Null if absent or unreadable.
   */
  public @Nullable Duration retryAfter(Headers headers) {
    String millis = headers.get("Retry-After-Ms");
    if (millis != null) {
      try {
        BigDecimal value = new BigDecimal(millis.trim());
        if (value.signum() >= 0) return Duration.ofNanos(value.movePointRight(6).longValue());
      } catch (NumberFormatException | ArithmeticException ignored) {
        // Fall back to Retry-After.
      }
    }
    String value = headers.get("Retry-After");
    if (value == null) return null;
    try {
      BigDecimal seconds = new BigDecimal(value.trim());
      return seconds.signum() >= 0 ? Duration.ofNanos(seconds.movePointRight(9).longValue()) : null;
    } catch (NumberFormatException | ArithmeticException notSeconds) {
      Date date = headers.getDate("Retry-After");
      if (date == null) return null;
      Duration until = Duration.between(clock.instant(), date.toInstant());
      return until.isNegative() ? Duration.ZERO : until;
    }
  }

  /** The body's start on one line, for a message: redacted first, then collapsed and cut. */
  String shortExcerpt(String body) {
    String collapsed = redact(body).replaceAll("\\s+", " ").strip();
    return collapsed.length() <= SHORT_EXCERPT ? collapsed : collapsed.substring(0, SHORT_EXCERPT) + "…";
  }

  /** Hides every secret this provider (and call) knows in {@code text}. */
  public String redact(String text) {
    return redactor.redact(text);
  }

  /** The parts of an OpenRouter error object a message needs. */
  static final class ErrorBody {
    final @Nullable String message;
    final @Nullable String code;
    private final Map<?, ?> metadata;

    private ErrorBody(@Nullable String message, @Nullable String code, Map<?, ?> metadata) {
      this.message = message;
      this.code = code;
      this.metadata = metadata;
    }

    static ErrorBody of(Object errorObject) {
      if (!(errorObject instanceof Map<?, ?> map)) return new ErrorBody(String.valueOf(errorObject), null,
          Map.of());
      Object message = map.get("message");
      Object code = map.get("code");
      Object metadata = map.get("metadata");
      return new ErrorBody(message != null ? String.valueOf(message) : null,
          code != null ? codeString(code) : null, metadata instanceof Map<?, ?> m ? m : Map.of());
    }

    /** The error object of an error body, or null if the body is not JSON with an {@code error}. */
    static @Nullable ErrorBody parse(String body) {
      try {
        JsonReader reader = JsonReader.of(new Buffer().writeUtf8(body));
        Object value = reader.readJsonValue();
        if (value instanceof Map<?, ?> map && map.get("error") != null) return of(map.get("error"));
        return null;
      } catch (IOException | RuntimeException notJson) {
        return null;
      }
    }

    private static String codeString(Object code) {
      if (code instanceof Double d && d == Math.rint(d)) return Long.toString(d.longValue());
      if (code instanceof Number n && !(code instanceof Double)) return n.toString();
      return String.valueOf(code);
    }

    /** The code as an HTTP-like status, or 0 when it is not a number (such as "server_error"). */
    int numericCode() {
      if (code == null) return 0;
      try {
        return Integer.parseInt(code);
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    Map<?, ?> metadata() {
      return metadata;
    }

    @Nullable String metadataString(String name) {
      Object value = metadata.get(name);
      return value instanceof String s ? s : null;
    }

    List<String> reasons() {
      List<String> result = new ArrayList<>();
      if (metadata.get("reasons") instanceof List<?> list) {
        for (Object reason : list) if (reason != null) result.add(String.valueOf(reason));
      }
      return result;
    }
  }
}
