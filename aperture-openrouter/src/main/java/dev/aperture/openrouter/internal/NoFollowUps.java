package dev.aperture.openrouter.internal;

import java.io.IOException;
import okhttp3.Authenticator;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Makes an OkHttp client send each call exactly once: the core's retry policy decides every retry, so
 * OkHttp must not add its own underneath.
 *
 * <p>OkHttp's {@code RetryAndFollowUpInterceptor} re-sends on its own in four cases: a connection
 * failure (off with {@code retryOnConnectionFailure(false)}), a 408 (also off with it), a 401 answered
 * by an {@code Authenticator} (off with {@link Authenticator#NONE}), redirects (off with
 * {@code followRedirects(false)}: an API call is never redirected, and a 307/308 would re-send the prompt
 * elsewhere) — and a <b>503 whose {@code Retry-After} is {@code 0}</b>, which it re-sends once whatever
 * the client's settings. For that one a network interceptor, which runs inside the follow-up logic,
 * hides the header under another name before OkHttp sees it, and an application interceptor, which runs
 * outside it, puts it back, so the error mapping (and any interceptor of the application) still reads
 * the server's {@code Retry-After}.
 */
public final class NoFollowUps {
  /** Where the header waits while OkHttp's follow-up logic looks at the response. */
  static final String HIDDEN = "X-Aperture-Hidden-Retry-After";

  private NoFollowUps() {
  }

  /** {@code client} changed so that it never re-sends a call by itself. */
  public static OkHttpClient.Builder apply(OkHttpClient.Builder client) {
    return client
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .authenticator(Authenticator.NONE)
        .addInterceptor(NoFollowUps::restoreRetryAfter)
        .addNetworkInterceptor(NoFollowUps::hideRetryAfter);
  }

  private static Response hideRetryAfter(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    if (response.code() != 503 && response.code() != 408) return response;
    String retryAfter = response.header("Retry-After");
    if (retryAfter == null) return response;
    return response.newBuilder().removeHeader("Retry-After").header(HIDDEN, retryAfter).build();
  }

  private static Response restoreRetryAfter(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    String retryAfter = response.header(HIDDEN);
    if (retryAfter == null) return response;
    return response.newBuilder().removeHeader(HIDDEN).header("Retry-After", retryAfter).build();
  }
}
