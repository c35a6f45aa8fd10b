package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every request field that selects a model is granted or the call is refused, and an answer from a model
 * outside the grants is an error, not a result: the fallback-list bypass of the security review.
 */
class ModelSelectionTest {
  private static final Caller ALICE = Caller.of("alice@example.com");

  /** A provider with OpenRouter's model-selecting fields, answering from whatever model it is told. */
  static final class FallbackProvider extends FakeProvider {
    String answerFrom = "";

    FallbackProvider() {
      super("openrouter");
    }

    @Override
    public Set<String> modelSelectingParameters() {
      return Set.of("models", "route");
    }

    @Override
    ChatResponse answer(ChatRequest request) {
      ChatResponse response = super.answer(request);
      if (answerFrom.isEmpty()) return response;
      return response.newBuilder().model(answerFrom).build();
    }
  }

  private final FallbackProvider provider = new FallbackProvider();
  // alice may use qwen models only; grok is configured but not granted to her.
  private final AccessPolicy qwenOnly = (caller, route) -> route.model().startsWith("qwen/");
  private final Router router = Router.builder()
      .addProvider(provider, List.of("qwen/qwen3", "qwen/qwen3-coder", "x-ai/grok-code-fast-1"))
      .accessPolicy(qwenOnly)
      .build();

  private static ChatRequest withFallbacks(String key, Object value) {
    return ChatRequest.builder().model("qwen/qwen3").user("hi").put(key, value).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"models", "MODELS", "Models", "route"})
  void aFallbackModelOutsideTheGrantsIsRefusedLikeTheModelItselfAndNothingIsSent(String key) {
    assertThatThrownBy(() -> router.chat(ALICE, withFallbacks(key, List.of("x-ai/grok-code-fast-1"))))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> router.chat(ALICE, withFallbacks(key, "x-ai/grok-code-fast-1")))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> router.chat(ALICE, withFallbacks(key, List.of("openrouter/x-ai/grok-code-fast-1"))))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> router.stream(ALICE, withFallbacks(key, List.of("qwen/qwen3-coder", "x-ai/grok-code-fast-1"))))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void unknownOrMalformedFallbackEntriesAreRefusedToo() {
    assertThatThrownBy(() -> router.chat(ALICE, withFallbacks("models", List.of("nobody/knows"))))
        .isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> router.chat(ALICE, withFallbacks("models", List.of(42))))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void grantedFallbacksPassAndPrefixedOnesReachTheProviderInItsOwnNames() {
    router.chat(ALICE, withFallbacks("models", List.of("openrouter/qwen/qwen3-coder", "qwen/qwen3")));

    assertThat(provider.requests).singleElement()
        .satisfies(r -> assertThat(r.parameter("models")).isEqualTo(List.of("qwen/qwen3-coder", "qwen/qwen3")));
  }

  @Test
  void openRoutersFallbackModeWordIsNotAModel() {
    router.chat(ALICE, withFallbacks("route", "fallback"));

    assertThat(provider.requests).hasSize(1);
  }

  @Test
  void anAnswerFromAModelOutsideTheGrantsIsAnErrorNotAResult() {
    provider.answerFrom = "x-ai/grok-code-fast-1";

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("qwen/qwen3", "hi")))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
          assertThat(e.getMessage()).contains("the answer was discarded");
          assertThat(e.denial()).isEqualTo(AccessDecision.Denial.NOT_GRANTED);
        });
  }

  @Test
  void anAnswerFromAGrantedFallbackOrADatedVariantIsAccepted() {
    provider.answerFrom = "qwen/qwen3-coder";
    assertThat(router.chat(ALICE, ChatRequest.of("qwen/qwen3", "hi")).model()).isEqualTo("qwen/qwen3-coder");
    provider.answerFrom = "qwen/qwen3-2507";
    assertThat(router.chat(ALICE, ChatRequest.of("qwen/qwen3", "hi")).model()).isEqualTo("qwen/qwen3-2507");
  }

  @Test
  void aLongerModelNameIsAnotherModelNotAVariant() {
    provider.answerFrom = "qwen/qwen3-coder-plus";

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("qwen/qwen3", "hi")))
        .isInstanceOf(AccessDeniedException.class);
    provider.answerFrom = "qwen/qwen3:free";
    assertThat(router.chat(ALICE, ChatRequest.of("qwen/qwen3", "hi")).model()).isEqualTo("qwen/qwen3:free");
  }

  @Test
  void aGrantsHeadersForOneRouteNeverReachTheRouteItFailsOverTo() {
    FakeProvider first = new FakeProvider("a");
    FakeProvider second = new FakeProvider("b");
    first.failures.add(FakeProvider.retryable("a", 503));
    AccessPolicy headerForA = new AccessPolicy() {
      @Override
      public boolean allows(Caller caller, Route route) {
        return true;
      }

      @Override
      public AccessDecision decide(Caller caller, Route route) {
        AccessDecision.Builder decision = AccessDecision.builder().allowed(true).role(AccessDecision.AccessRole.USER);
        if (route.providerId().equals("a")) decision.addHeader("X-A-Secret", "only-for-provider-a-123");
        return decision.build();
      }
    };
    Router router = Router.builder().addProvider(first, List.of("m")).addProvider(second, List.of("m"))
        .accessPolicy(headerForA).retryPolicy(RetryPolicy.none()).build();

    assertThat(router.chat(ALICE, ChatRequest.of("m", "hi")).provider()).isEqualTo("b");

    assertThat(first.requests).singleElement().satisfies(r -> assertThat(r.headers()).containsKey("X-A-Secret"));
    assertThat(second.requests).singleElement().satisfies(r -> assertThat(r.headers()).isEmpty());
  }

  @Test
  void aGrantsExtraHeadersReachTheProviderButNotTheBody() {
    AccessPolicy withHeaders = new AccessPolicy() {
      @Override
      public boolean allows(Caller caller, Route route) {
        return true;
      }

      @Override
      public AccessDecision decide(Caller caller, Route route) {
        return AccessDecision.builder().allowed(true).role(AccessDecision.AccessRole.USER)
            .addHeader("X-Project", "apollo").build();
      }
    };
    Router router = Router.builder().addProvider(provider, List.of("qwen/qwen3")).accessPolicy(withHeaders).build();

    router.chat(ALICE, ChatRequest.of("qwen/qwen3", "hi"));

    assertThat(provider.requests).singleElement().satisfies(r -> {
      assertThat(r.headers()).containsEntry("X-Project", "apollo");
      assertThat(r.parameters()).doesNotContainKey("X-Project");
    });
  }
}
