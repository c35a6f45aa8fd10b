package dev.aperture.openrouter.internal;

import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;

/**
 * OpenRouter's endpoint URLs from a configured base URL. Aperture's configuration writes the base as
 * {@code https://openrouter.ai/api/} and appends {@code v1/...}; a base that already ends in {@code /v1}
 * (with or without a slash) or lacks its trailing slash gives the same URLs, never {@code /v1/v1}.
 */
public final class Endpoints {
  private final HttpUrl root;

  private Endpoints(HttpUrl root) {
    this.root = root;
  }

  /** Null if {@code baseUrl} is not an http or https URL. */
  public static @Nullable Endpoints parse(String baseUrl) {
    HttpUrl url = HttpUrl.parse(baseUrl.trim());
    if (url == null) return null;
    List<String> segments = new ArrayList<>(url.encodedPathSegments());
    while (!segments.isEmpty() && segments.get(segments.size() - 1).isEmpty()) {
      segments.remove(segments.size() - 1);
    }
    if (!segments.isEmpty() && segments.get(segments.size() - 1).equalsIgnoreCase("v1")) {
      segments.remove(segments.size() - 1);
    }
    HttpUrl.Builder builder = url.newBuilder().encodedPath("/").query(null).fragment(null);
    for (String segment : segments) builder.addEncodedPathSegment(segment);
    builder.addPathSegment("v1");
    return new Endpoints(builder.build());
  }

  /** {@code baseUrl} for messages: any {@code user:password@} in it replaced, since it may be a secret. */
  public static String redacted(String baseUrl) {
    return baseUrl.replaceAll("(?<=://)[^/?#]*@", "<redacted>@");
  }

  public HttpUrl chatCompletions() {
    return root.newBuilder().addPathSegments("chat/completions").build();
  }

  public HttpUrl key() {
    return root.newBuilder().addPathSegment("key").build();
  }

  public HttpUrl models() {
    return root.newBuilder().addPathSegment("models").build();
  }

  /** {@code GET v1/generation?id=}: a generation's cost and token counts after the fact. */
  public HttpUrl generation(String id) {
    return root.newBuilder().addPathSegment("generation").addQueryParameter("id", id).build();
  }
}
