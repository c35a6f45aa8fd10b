package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.config.ApertureConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code model_aliases} (tailscale.com/docs/aperture/model-aliases): the alias is replaced by its
 * destination before grants and routing, so the grants of the real {@code provider/model} decide, and the
 * alias is listed for callers who can reach it.
 */
class AliasRoutingTest {
  private static final String CONFIG = """
      {
        "grants": [
          {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user"}, {"models": "fake/qwen/*"}]}},
          {"src": ["alice@example.com"], "app": {"tailscale.com/cap/aperture": [{"models": "fake/**"}]}}
        ],
        "model_aliases": {"models": {
          "writing-assistant": {"dst": ["fake/qwen/qwen3", "fake/x-ai/grok"]},
          "coder": {"dst": ["fake/x-ai/grok"]}
        }}
      }
      """;

  private final FakeProvider provider = new FakeProvider("fake");
  private final Router router = Router.builder().config(ApertureConfig.parse(CONFIG))
      .addProvider(provider, List.of("qwen/qwen3", "x-ai/grok")).build();

  @Test
  void anAliasRoutesToItsFirstDestinationUnderThatModelsGrants() {
    ChatResponse response = router.chat(Caller.of("bob@example.com"), ChatRequest.of("writing-assistant", "hi"));

    assertThat(provider.requests).singleElement().satisfies(r -> assertThat(r.model()).isEqualTo("qwen/qwen3"));
    assertThat(response.provider()).isEqualTo("fake");
  }

  @Test
  void anAliasToAModelTheCallerMayNotUseIsRefusedLikeThatModel() {
    assertThatThrownBy(() -> router.chat(Caller.of("bob@example.com"), ChatRequest.of("coder", "hi")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(provider.requests).isEmpty();
    assertThat(router.chat(Caller.of("alice@example.com"), ChatRequest.of("coder", "hi")).text()).isNotEmpty();
  }

  @Test
  void aliasesAreListedForCallersWhoCanReachTheirDestination() {
    assertThat(router.models(Caller.of("bob@example.com"))).extracting(ModelInfo::id)
        .contains("writing-assistant").doesNotContain("coder");
    assertThat(router.models(Caller.of("alice@example.com"))).extracting(ModelInfo::id)
        .contains("writing-assistant", "coder");
  }
}
