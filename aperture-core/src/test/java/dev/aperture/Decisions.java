package dev.aperture;

import dev.aperture.config.ApertureConfig;
import dev.aperture.internal.GrantsPolicy;
import java.util.Map;
import java.util.Set;

/** Decides calls against a configuration's grants, as the Router's access stage does. */
final class Decisions {
  private final GrantsPolicy policy;

  Decisions(ApertureConfig config) {
    this.policy = new GrantsPolicy(config);
  }

  static Decisions of(String hujson) {
    return new Decisions(ApertureConfig.parse(hujson, "test.hujson", Map.of("KEY", "sk-test-key")::get));
  }

  /** The decision for {@code caller} calling {@code qualified} ({@code provider/model}). */
  AccessDecision decide(Caller caller, String qualified) {
    int slash = qualified.indexOf('/');
    Provider provider = new FakeProvider(qualified.substring(0, slash));
    return policy.decide(caller, new Route(provider, qualified.substring(slash + 1),
        Set.of(ApiFormat.OPENAI_CHAT), 0));
  }

  boolean allowed(Caller caller, String qualified) {
    return decide(caller, qualified).allowed();
  }
}
