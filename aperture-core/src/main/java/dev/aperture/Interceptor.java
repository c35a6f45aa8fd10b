package dev.aperture;

/**
 * Observes, rewrites or short-circuits calls through the {@link Router}: OkHttp's interceptor shape.
 * Application interceptors run in the order added, before access policy and routing, and see every call,
 * plain and streamed, as one {@link Exchange}:
 *
 * <pre>{@code
 * Interceptor tagging = chain -> chain.proceed(
 *     chain.request().newBuilder().put("user", chain.caller().login()).build());
 * }</pre>
 */
@FunctionalInterface
public interface Interceptor {
  Exchange intercept(Chain chain);

  /** The call as it stands at this interceptor, and the way on to the next. */
  interface Chain {
    ChatRequest request();

    Caller caller();

    ApiFormat format();

    /** True for {@link Router#stream} calls: {@link #proceed} then returns a streaming exchange. */
    boolean streaming();

    /** Hands {@code request} on to the rest of the chain and returns its outcome. */
    Exchange proceed(ChatRequest request);
  }
}
