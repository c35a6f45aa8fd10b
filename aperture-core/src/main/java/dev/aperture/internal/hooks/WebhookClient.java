package dev.aperture.internal.hooks;

import dev.aperture.ApertureException;
import dev.aperture.GuardrailResponse;
import dev.aperture.HookCallData;
import dev.aperture.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * POSTs {@code HookCallData} to a webhook over the JDK's {@link HttpClient} (core has no third-party HTTP
 * client) and reads its {@code GuardrailResponse}: {@code Content-Type: application/json}, the key in the
 * header the hook's {@code authorization} names, the hook's timeout over the whole exchange (connect,
 * answer and body), no redirects followed.
 *
 * <p>Answers are read leniently, as Aperture does: unknown fields are ignored; {@code action} is
 * {@code allow}, {@code block} or {@code modify} (any case); a block's {@code status_code} defaults to
 * 403 (also when it is not an HTTP status, 100–599); its {@code message} defaults to empty; a
 * {@code modify} whose {@code request_body} is not a JSON object is an {@code allow}. An answer without a
 * known {@code action}, a non-2xx status, invalid JSON, an unreachable hook or a timeout is a failure whose
 * reason never contains the hook's key.
 */
public final class WebhookClient {
  /** The largest answer read; a {@code modify} carries a whole request body, so this is generous. */
  static final int MAX_ANSWER_BYTES = 32 * 1024 * 1024;

  private final HttpClient client;

  public WebhookClient(HttpClient client) {
    this.client = Objects.requireNonNull(client, "client == null");
  }

  /**
   * Calls the hook once.
   *
   * @param readAnswer true for {@code pre_request} (the answer is parsed); false for post-response events
   *     (the body is drained and ignored; only the status counts)
   * @param redactor hides the hook's key (and any other secret) in failure reasons
   */
  public HookAnswer call(WebhookSpec spec, HookCallData data, boolean readAnswer, Redactor redactor) {
    HttpRequest.Builder request = HttpRequest.newBuilder(spec.url())
        .POST(HttpRequest.BodyPublishers.ofByteArray(HookBodies.toJson(data.json())))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json");
    // Plain-http hooks get HTTP/1.1: an h2c upgrade attempt on a POST confuses simple hook servers.
    if ("http".equalsIgnoreCase(spec.url().getScheme())) request.version(HttpClient.Version.HTTP_1_1);
    if (!spec.apiKey().isEmpty()) {
      try {
        request.header(spec.authorization().header(), spec.authorization().value(spec.apiKey()));
      } catch (IllegalArgumentException e) {
        // The JDK quotes the whole header in its message: never pass that on. A key with characters a
        // header cannot carry is the hook's failure, handled by its fail_policy.
        return new HookAnswer.Failed(HookFailure.Kind.UNREACHABLE,
            "the hook's key has characters an HTTP header cannot carry", null);
      }
    }
    Duration timeout = spec.timeout();
    if (!timeout.isZero()) request.timeout(timeout);

    CompletableFuture<HttpResponse<byte[]>> future;
    try {
      future = client.sendAsync(request.build(), info -> new LimitedBody(readAnswer ? MAX_ANSWER_BYTES : 0));
    } catch (IllegalArgumentException e) {
      return new HookAnswer.Failed(HookFailure.Kind.UNREACHABLE,
          "cannot send the request: " + describe(e, redactor), e);
    }
    HttpResponse<byte[]> response;
    try {
      response = timeout.isZero() ? future.get() : future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return timedOut(timeout, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return new HookAnswer.Failed(HookFailure.Kind.INTERRUPTED, "interrupted while waiting for the hook", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof HttpTimeoutException) return timedOut(timeout, cause);
      if (cause instanceof TooLarge) {
        return new HookAnswer.Failed(HookFailure.Kind.INVALID_JSON,
            "answered with more than " + MAX_ANSWER_BYTES + " bytes", cause);
      }
      if (cause instanceof ConnectException) {
        return new HookAnswer.Failed(HookFailure.Kind.UNREACHABLE, "unreachable: connection refused or failed ("
            + describe(cause, redactor) + ")", cause);
      }
      return new HookAnswer.Failed(HookFailure.Kind.UNREACHABLE, "unreachable: " + describe(cause, redactor), cause);
    }

    int status = response.statusCode();
    if (status < 200 || status > 299) {
      return new HookAnswer.Failed(HookFailure.Kind.HTTP_STATUS, "answered HTTP " + status, null);
    }
    if (!readAnswer) return new HookAnswer.Answered(GuardrailResponse.allow());
    return parse(response.body(), redactor);
  }

  private static HookAnswer timedOut(Duration timeout, Throwable cause) {
    return new HookAnswer.Failed(HookFailure.Kind.TIMEOUT, "no answer within its timeout of " + timeout.toMillis()
        + " ms", cause);
  }

  /** Reads a {@code GuardrailResponse}, leniently (see the class documentation). */
  @SuppressWarnings("unchecked")
  static HookAnswer parse(byte[] body, Redactor redactor) {
    if (body.length == 0) {
      return new HookAnswer.Failed(HookFailure.Kind.INVALID_JSON, "answered with an empty body", null);
    }
    Object json;
    try {
      json = HookBodies.parseJson(body);
    } catch (ApertureException e) {
      return new HookAnswer.Failed(HookFailure.Kind.INVALID_JSON, "answered with invalid JSON: "
          + redactor.redact(e.getMessage()), e);
    }
    if (!(json instanceof Map<?, ?> map)) {
      return new HookAnswer.Failed(HookFailure.Kind.WRONG_SHAPE, "answered with a JSON " + kind(json)
          + ", not a GuardrailResponse object", null);
    }
    Object action = map.get("action");
    if (!(action instanceof String name)) {
      return new HookAnswer.Failed(HookFailure.Kind.WRONG_SHAPE,
          "answered without an 'action' string (allow, block or modify)", null);
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "allow":
        return new HookAnswer.Answered(GuardrailResponse.allow());
      case "block": {
        int status = 403;
        if (map.get("status_code") instanceof Number number) {
          long value = number.longValue();
          boolean integral = !(number instanceof java.math.BigDecimal d) || d.stripTrailingZeros().scale() <= 0;
          if (integral && value >= 100 && value <= 599) status = (int) value;
        }
        String message = map.get("message") instanceof String text ? text : "";
        return new HookAnswer.Answered(GuardrailResponse.block(status, message));
      }
      case "modify": {
        Object replacement = map.get("request_body");
        if (!(replacement instanceof Map<?, ?> newBody)) return new HookAnswer.Answered(GuardrailResponse.allow());
        return new HookAnswer.Answered(GuardrailResponse.modify((Map<String, @Nullable Object>) newBody));
      }
      default:
        return new HookAnswer.Failed(HookFailure.Kind.WRONG_SHAPE, "answered action '"
            + redactor.redactThenTruncate(name, 40) + "', which is not allow, block or modify", null);
    }
  }

  private static String kind(@Nullable Object json) {
    if (json == null) return "null";
    if (json instanceof List) return "array";
    if (json instanceof String) return "string";
    if (json instanceof Boolean) return "boolean";
    return "number";
  }

  /** An exception's class and message, redacted and shortened: never the hook's key. */
  static String describe(Throwable e, Redactor redactor) {
    String message = e.getMessage();
    String text = e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    return redactor.redactThenTruncate(text, 200);
  }

  /** The answer's body up to a limit (zero: drained and dropped), failing past it. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.@Nullable Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) return;
      for (ByteBuffer item : items) {
        if (limit == 0) {
          item.position(item.limit()); // Drained, ignored.
          continue;
        }
        if (out.size() + item.remaining() > limit) {
          result.completeExceptionally(new TooLarge());
          Flow.Subscription s = subscription;
          if (s != null) s.cancel();
          return;
        }
        byte[] bytes = new byte[item.remaining()];
        item.get(bytes);
        out.write(bytes, 0, bytes.length);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }
  }

  private static final class TooLarge extends IOException {
    TooLarge() {
      super("answer too large");
    }
  }
}
