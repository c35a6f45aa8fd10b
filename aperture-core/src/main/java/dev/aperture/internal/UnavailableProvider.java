package dev.aperture.internal;

import dev.aperture.ApiFormat;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Provider;
import dev.aperture.ProviderUnavailableException;
import dev.aperture.ResponsesRequest;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Stands in for a configured provider this Router cannot use (no implementation registered for its type,
 * no {@code baseurl}): Aperture loads such a file, so the Router does too. Its models still route, so
 * grants apply as usual and a caller who may use them gets a {@link ProviderUnavailableException} naming
 * what is missing; the Router prefers any other route.
 */
public final class UnavailableProvider implements Provider {
  private final String id;
  private final String reason;
  private final Set<ApiFormat> formats;

  public UnavailableProvider(String id, String reason, Set<ApiFormat> formats) {
    this.id = id;
    this.reason = reason;
    this.formats = Set.copyOf(formats);
  }

  /** Why the provider cannot be used. */
  public String reason() {
    return reason;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<ApiFormat> apiFormats() {
    return formats;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    throw new ProviderUnavailableException(id, request.model(), reason);
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    throw new ProviderUnavailableException(id, request.model(), reason);
  }

  @Override
  public Map<String, @Nullable Object> responses(ResponsesRequest request) {
    throw new ProviderUnavailableException(id, request.model(), reason);
  }

  @Override
  public String toString() {
    return "UnavailableProvider{" + id + ": " + reason + "}";
  }
}
