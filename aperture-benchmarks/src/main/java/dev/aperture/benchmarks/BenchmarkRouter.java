package dev.aperture.benchmarks;

import dev.aperture.Caller;
import dev.aperture.Router;
import dev.aperture.config.ApertureConfig;
import dev.aperture.openrouter.OpenRouterProviderFactory;

/**
 * The Router as an application builds it: an Aperture configuration (one OpenRouter provider whose base
 * URL is the stub, and a grant the caller matches) and the OpenRouter provider factory with its defaults.
 */
final class BenchmarkRouter {
  static final Caller CALLER = Caller.of("alice@example.com");

  private BenchmarkRouter() {
  }

  static Router create(StubUpstream stub) {
    String config = """
        {
          "providers": {
            "openrouter": {
              "type": "openrouter",
              "baseurl": "%s",
              "apikey": "%s",
              "models": ["%s"],
            },
          },
          "grants": [
            { "src": ["alice@example.com"],
              "app": { "tailscale.com/cap/aperture": [ { "role": "user", "models": ["openrouter/qwen/*"] } ] } },
          ],
        }
        """.formatted(stub.baseUrl(), BenchmarkRequest.API_KEY, BenchmarkRequest.MODEL);
    return Router.builder()
        .config(ApertureConfig.parse(config))
        .addProviderFactory(new OpenRouterProviderFactory())
        .build();
  }
}
