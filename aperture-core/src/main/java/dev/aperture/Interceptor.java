package dev.aperture;

import org.jspecify.annotations.Nullable;

/**
 * Observes, rewrites or short-circuits calls through the {@link Router}: OkHttp's interceptor shape.
 *
 * <p><b>Application interceptors</b> ({@link Router.Builder#addInterceptor}) run first, once per call, in the
 * order added, before aliases, access decision, hooks, quotas, failover and retries; they see the request
 * as the application sent it. <b>Route interceptors</b> ({@link Router.Builder#addRouteInterceptor}) run
 * once per attempt, just before the provider, and see the request as the provider will ({@link
 * Chain#route()} and {@link Chain#attempt()} say where they are). Both see plain and streamed chat calls as
 * one {@link Exchange}; Responses-API calls run the same routing, governance, failover and retry stages but
 * not the interceptors, whose request type is {@link ChatRequest}.
 *
 * <pre>{@code
 * Interceptor tagging = chain -> chain.proceed(
 *     chain.request().newBuilder().put("user", chain.caller().login()).build());
 * }</pre>
 */
@FunctionalInterface
public interface Interceptor {
  /**
   * Handles the call at this point of the chain: usually by calling {@link Chain#proceed} (possibly with a
   * changed request) and returning its exchange (possibly observed); or by returning an exchange of its
   * own, which short-circuits the rest. Must return a {@link Exchange.Streamed} exactly when
   * {@link Chain#streaming()}.
   */
  Exchange intercept(Chain chain);

  /** The call as it stands at this interceptor, and the way on to the next stage. */
  interface Chain {
    /** The call this chain serves: its id, caller, options and original model. */
    Call call();

    /** The request as it stands here. */
    ChatRequest request();

    /** The call's caller. */
    Caller caller();

    /** The call's API format: {@link ApiFormat#OPENAI_CHAT} for chat and stream calls. */
    ApiFormat format();

    /** True for {@link Router#stream} calls: {@link #proceed} then returns a {@link Exchange.Streamed}. */
    boolean streaming();

    /** The route of this attempt for a route interceptor; null for an application interceptor. */
    @Nullable Route route();

    /** This attempt's number, from 1 across the whole call, for a route interceptor; 0 otherwise. */
    int attempt();

    /** Hands {@code request} on to the rest of the chain and returns its outcome. */
    Exchange proceed(ChatRequest request);
  }
}
