package dev.aperture.opentelemetry.internal;

import dev.aperture.Exchange;
import dev.aperture.Interceptor;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * A route interceptor that makes the attempt's context current while the rest of the attempt (later
 * route interceptors and the provider) runs on this thread: the span of an instrumented HTTP client is
 * then the attempt's child, and the {@code traceparent} it sends upstream names the attempt.
 */
public final class AttemptContextInterceptor implements Interceptor {
  private final Telemetry telemetry;

  public AttemptContextInterceptor(Telemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public Exchange intercept(Chain chain) {
    Context attempt = telemetry.attemptContext(chain.call());
    if (attempt == null) return chain.proceed(chain.request()); // Not our Router's listener, or no attempt.
    try (Scope ignored = attempt.makeCurrent()) {
      return chain.proceed(chain.request());
    }
  }

  @Override
  public String toString() {
    return "ApertureTelemetry.routeInterceptor";
  }
}
