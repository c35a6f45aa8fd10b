package dev.aperture.internal;

import dev.aperture.ApiFormat;
import dev.aperture.Call;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.Exchange;
import dev.aperture.Interceptor;
import dev.aperture.Route;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs one public {@link Interceptor} as a stage: an application interceptor (before routing) or a route
 * interceptor (once per attempt, just before the provider). Interceptors are synchronous, so a call with
 * any runs blocking (an asynchronous call then runs on the Router's executor). Responses-API calls pass
 * by: an interceptor's request type is {@link ChatRequest}.
 */
final class ApplicationInterceptorStage implements Stage {
  private final Interceptor interceptor;

  ApplicationInterceptorStage(Interceptor interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    if (chain.chat == null) return chain.proceed();
    PublicChain view = new PublicChain(chain);
    Exchange exchange = interceptor.intercept(view);
    if (exchange == null) throw new NullPointerException("interceptor " + interceptor + " returned null");
    if (exchange.isStream() != chain.call.isStreaming()) {
      throw new IllegalStateException("interceptor " + interceptor + " returned a "
          + (exchange.isStream() ? "stream" : "plain response") + " for a "
          + (chain.call.isStreaming() ? "streamed" : "plain") + " call");
    }
    return CompletableFuture.completedFuture(Outcome.of(exchange));
  }

  @Override
  public String toString() {
    return interceptor.toString();
  }

  /** What the interceptor sees of the chain. */
  private static final class PublicChain implements Interceptor.Chain {
    private final RealChain chain;

    PublicChain(RealChain chain) {
      this.chain = chain;
    }

    @Override
    public Call call() {
      return chain.call;
    }

    @Override
    public ChatRequest request() {
      return chain.chatRequest();
    }

    @Override
    public Caller caller() {
      return chain.call.caller();
    }

    @Override
    public ApiFormat format() {
      return chain.call.format();
    }

    @Override
    public boolean streaming() {
      return chain.call.isStreaming();
    }

    @Override
    public @Nullable Route route() {
      return chain.route;
    }

    @Override
    public int attempt() {
      return chain.attempt;
    }

    @Override
    public Exchange proceed(ChatRequest request) {
      Objects.requireNonNull(request, "request == null");
      // Calls with interceptors run blocking, so the rest of the chain is done when proceed returns.
      Outcome outcome;
      try {
        outcome = chain.proceed(request).join();
      } catch (java.util.concurrent.CompletionException e) {
        throw RealCall.rethrow(e);
      }
      return outcome.requireExchange();
    }
  }
}
