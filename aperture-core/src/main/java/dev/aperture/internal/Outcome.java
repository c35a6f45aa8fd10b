package dev.aperture.internal;

import dev.aperture.Exchange;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What the pipeline produced: an {@link Exchange} for a chat call, the body for a Responses-API call. */
record Outcome(@Nullable Exchange exchange, @Nullable Map<String, @Nullable Object> responsesBody) {
  static Outcome of(Exchange exchange) {
    return new Outcome(Objects.requireNonNull(exchange, "exchange == null"), null);
  }

  static Outcome ofResponses(Map<String, @Nullable Object> body) {
    return new Outcome(null, Objects.requireNonNull(body, "body == null"));
  }

  Exchange requireExchange() {
    return Objects.requireNonNull(exchange, "not a chat outcome");
  }
}
