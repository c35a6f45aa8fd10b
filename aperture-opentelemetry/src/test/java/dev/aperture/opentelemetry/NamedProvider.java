package dev.aperture.opentelemetry;

import dev.aperture.ApiFormat;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Provider;
import java.util.Set;

/**
 * A provider that is only a name, for building {@link dev.aperture.Route}s in tests that drive the
 * listener directly: nothing there calls a provider.
 */
final class NamedProvider implements Provider {
  private final String id;

  NamedProvider(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<ApiFormat> apiFormats() {
    return Set.of(ApiFormat.OPENAI_CHAT);
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    throw new AssertionError("listener tests never call a provider");
  }

  @Override
  public ChatStream stream(ChatRequest request) {
    throw new AssertionError("listener tests never call a provider");
  }
}
