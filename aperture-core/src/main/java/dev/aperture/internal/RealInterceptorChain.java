package dev.aperture.internal;

import dev.aperture.ApiFormat;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.Exchange;
import dev.aperture.Interceptor;
import java.util.List;

/** One position in the call's pipeline: OkHttp's RealInterceptorChain, for chat calls. */
final class RealInterceptorChain implements Interceptor.Chain {
  private final List<Interceptor> interceptors;
  private final int index;
  private final ChatRequest request;
  private final Caller caller;
  private final ApiFormat format;
  private final boolean streaming;

  RealInterceptorChain(List<Interceptor> interceptors, int index, ChatRequest request, Caller caller,
      ApiFormat format, boolean streaming) {
    this.interceptors = interceptors;
    this.index = index;
    this.request = request;
    this.caller = caller;
    this.format = format;
    this.streaming = streaming;
  }

  @Override
  public ChatRequest request() {
    return request;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public ApiFormat format() {
    return format;
  }

  @Override
  public boolean streaming() {
    return streaming;
  }

  @Override
  public Exchange proceed(ChatRequest request) {
    if (index >= interceptors.size()) throw new IllegalStateException("no interceptor left to proceed to");
    RealInterceptorChain next =
        new RealInterceptorChain(interceptors, index + 1, request, caller, format, streaming);
    Interceptor interceptor = interceptors.get(index);
    Exchange exchange = interceptor.intercept(next);
    if (exchange == null) {
      throw new NullPointerException("interceptor " + interceptor + " returned null");
    }
    if (exchange.isStream() != streaming) {
      throw new IllegalStateException("interceptor " + interceptor + " returned a "
          + (exchange.isStream() ? "stream" : "plain response") + " for a "
          + (streaming ? "streamed" : "plain") + " call");
    }
    return exchange;
  }
}
