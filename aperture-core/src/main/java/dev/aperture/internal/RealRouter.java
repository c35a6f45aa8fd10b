package dev.aperture.internal;

import dev.aperture.AccessPolicy;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Interceptor;
import dev.aperture.ModelInfo;
import dev.aperture.ModelRegistry;
import dev.aperture.Provider;
import dev.aperture.ProviderFactory;
import dev.aperture.ResponsesRequest;
import dev.aperture.Router;
import dev.aperture.VerifyResult;
import dev.aperture.config.ApertureConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

public final class RealRouter implements Router {
  public RealRouter(@Nullable ApertureConfig config, List<ProviderFactory> factories,
      Map<Provider, List<String>> providers, List<Interceptor> interceptors,
      @Nullable ModelRegistry modelRegistry, @Nullable AccessPolicy accessPolicy, Caller defaultCaller,
      int verifyConcurrency, Duration verifyTimeout) {
    throw new UnsupportedOperationException("TODO");
  }

  @Override public ChatResponse chat(Caller caller, ChatRequest request) { throw new UnsupportedOperationException(); }
  @Override public ChatResponse chat(ChatRequest request) { throw new UnsupportedOperationException(); }
  @Override public ChatStream stream(Caller caller, ChatRequest request) { throw new UnsupportedOperationException(); }
  @Override public ChatStream stream(ChatRequest request) { throw new UnsupportedOperationException(); }
  @Override public CompletableFuture<ChatResponse> chatAsync(Caller caller, ChatRequest request) { throw new UnsupportedOperationException(); }
  @Override public Map<String, @Nullable Object> responses(Caller caller, ResponsesRequest request) { throw new UnsupportedOperationException(); }
  @Override public List<ModelInfo> models(Caller caller) { throw new UnsupportedOperationException(); }
  @Override public List<VerifyResult> verify(Caller caller, List<String> models) { throw new UnsupportedOperationException(); }
  @Override public List<VerifyResult> verifyAll(Caller caller) { throw new UnsupportedOperationException(); }
  @Override public Map<String, Provider> providers() { throw new UnsupportedOperationException(); }
}
