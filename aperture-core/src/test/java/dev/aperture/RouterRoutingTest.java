package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.config.ConfigurationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterRoutingTest {
  private static final Caller ALICE = Caller.of("alice@example.com");

  private final Configs.FakeFactory openrouterFactory = new Configs.FakeFactory("openrouter");
  private final Configs.FakeFactory backupFactory = new Configs.FakeFactory("backup");

  private Router router(Configs configs) {
    return Router.builder()
        .config(configs.grant(List.of("*"), "user", "**").build())
        .addProviderFactory(openrouterFactory)
        .addProviderFactory(backupFactory)
        .retryPolicy(RetryPolicy.none())
        .build();
  }

  @Test
  void routesABareModelNameToTheProviderThatServesIt() {
    Router router = router(Configs.create().provider("openrouter", "qwen/qwen3-235b-a22b-2507"));

    ChatResponse response = router.chat(ALICE, ChatRequest.of("qwen/qwen3-235b-a22b-2507", "hi"));

    assertThat(response.provider()).isEqualTo("openrouter");
    assertThat(response.text()).isEqualTo("openrouter says: hi");
    assertThat(openrouterFactory.built.get("openrouter").requests)
        .extracting(ChatRequest::model).containsExactly("qwen/qwen3-235b-a22b-2507");
  }

  @Test
  void routesAPrefixedNameAndSendsTheProviderItsOwnModelName() {
    Router router = router(Configs.create().provider("openrouter", "qwen/qwen3-235b-a22b-2507"));

    router.chat(ALICE, ChatRequest.of("openrouter/qwen/qwen3-235b-a22b-2507", "hi"));

    assertThat(openrouterFactory.built.get("openrouter").requests)
        .extracting(ChatRequest::model).containsExactly("qwen/qwen3-235b-a22b-2507");
  }

  @Test
  void prefixedNameSelectsThatProviderEvenWhenAnotherIsPreferred() {
    Router router = router(Configs.create()
        .provider("openrouter", 0, false, null, Set.of(ApiFormat.OPENAI_CHAT), "vendor/m")
        .provider("backup", 10, false, null, Set.of(ApiFormat.OPENAI_CHAT), "vendor/m"));

    assertThat(router.chat(ALICE, ChatRequest.of("openrouter/vendor/m", "x")).provider())
        .isEqualTo("openrouter");
    assertThat(router.chat(ALICE, ChatRequest.of("vendor/m", "x")).provider()).isEqualTo("backup");
  }

  @Test
  void modelWhoseFirstSegmentIsAProviderIdButNotServedByItFallsBackToTheBareName() {
    // OpenRouter model names contain a slash: "backup/x" is a model on openrouter, not backup's "x".
    Router router = router(Configs.create().provider("openrouter", "backup/x").provider("backup", "y"));

    assertThat(router.chat(ALICE, ChatRequest.of("backup/x", "q")).provider()).isEqualTo("openrouter");
  }

  @Test
  void higherPreferenceWinsAndTiesKeepConfigurationOrder() {
    Router tie = router(Configs.create().provider("openrouter", "m/a").provider("backup", "m/a"));
    assertThat(tie.chat(ALICE, ChatRequest.of("m/a", "x")).provider()).isEqualTo("openrouter");

    Configs.FakeFactory f1 = new Configs.FakeFactory("openrouter");
    Configs.FakeFactory f2 = new Configs.FakeFactory("backup");
    Router preferred = Router.builder()
        .config(Configs.create()
            .provider("openrouter", 1, false, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a")
            .provider("backup", 5, false, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a")
            .grant(List.of("*"), "user", "**").build())
        .addProviderFactory(f1).addProviderFactory(f2).build();
    assertThat(preferred.chat(ALICE, ChatRequest.of("m/a", "x")).provider()).isEqualTo("backup");
  }

  @Test
  void disabledProvidersNeverRouteAndAreNotListed() {
    Router router = router(Configs.create()
        .provider("openrouter", 100, true, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a", "m/only-here")
        .provider("backup", "m/a"));

    assertThat(router.chat(ALICE, ChatRequest.of("m/a", "x")).provider()).isEqualTo("backup");
    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("m/only-here", "x")))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(router.models(ALICE)).extracting(ModelInfo::id).containsExactly("backup/m/a");
    assertThat(openrouterFactory.built).doesNotContainKey("openrouter");
  }

  @Test
  void unknownModelNamesTheModelAndSuggestsTheNearestConfiguredNames() {
    Router router = router(Configs.create()
        .provider("openrouter", "qwen/qwen3-235b-a22b-2507", "x-ai/grok-code-fast-1"));

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("qwen/qwen3-235b-a22b", "x")))
        .isInstanceOfSatisfying(ModelNotFoundException.class, e -> {
          assertThat(e.model()).isEqualTo("qwen/qwen3-235b-a22b");
          assertThat(e.suggestions()).first().isEqualTo("qwen/qwen3-235b-a22b-2507");
          assertThat(e.getMessage()).contains("'qwen/qwen3-235b-a22b' not found")
              .contains("did you mean 'qwen/qwen3-235b-a22b-2507'");
        });
    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("completely/different-thing", "x")))
        .isInstanceOfSatisfying(ModelNotFoundException.class, e -> {
          assertThat(e.suggestions()).isEmpty();
          assertThat(e.getMessage()).contains("check your provider configuration");
        });
  }

  @Test
  void wrongCaseIsNotFoundButSuggestsTheRightSpelling() {
    Router router = router(Configs.create().provider("openrouter", "qwen/qwen3-235b-a22b-2507"));

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("OpenRouter/Qwen/Qwen3-235B-A22B-2507", "x")))
        .isInstanceOfSatisfying(ModelNotFoundException.class,
            e -> assertThat(e.suggestions()).contains("openrouter/qwen/qwen3-235b-a22b-2507"));
  }

  @Test
  void responsesApiCallToAChatOnlyProviderFailsBeforeAnyProviderCall() {
    Router router = router(Configs.create().provider("openrouter", "qwen/qwen3-235b-a22b-2507"));

    assertThatThrownBy(() -> router.responses(ALICE,
        ResponsesRequest.of("qwen/qwen3-235b-a22b-2507", "hi")))
        .isInstanceOfSatisfying(UnsupportedApiFormatException.class, e -> {
          assertThat(e.providerId()).isEqualTo("openrouter");
          assertThat(e.requested()).isEqualTo(ApiFormat.OPENAI_RESPONSES);
          assertThat(e.supported()).containsExactly(ApiFormat.OPENAI_CHAT);
          assertThat(e.getMessage()).contains("openrouter").contains("openai_responses")
              .contains("supports: openai_chat");
        });
    assertThat(openrouterFactory.built.get("openrouter").requests).isEmpty();
  }

  @Test
  void responsesApiCallGoesToTheProviderThatEnablesIt() {
    Router router = router(Configs.create()
        .provider("openrouter", 5, false, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a")
        .provider("backup", 0, false, null,
            EnumSet.of(ApiFormat.OPENAI_CHAT, ApiFormat.OPENAI_RESPONSES), "m/a"));

    // The fake inherits Provider.responses(), which refuses: reaching it proves the route was chosen.
    assertThatThrownBy(() -> router.responses(ALICE, ResponsesRequest.of("m/a", "hi")))
        .isInstanceOfSatisfying(UnsupportedApiFormatException.class,
            e -> assertThat(e.providerId()).isEqualTo("backup"));
  }

  @Test
  void failsOverToTheNextRouteWhenAProviderFailsRetryably() {
    Router router = router(Configs.create()
        .provider("openrouter", 5, false, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a")
        .provider("backup", 0, false, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a"));
    openrouterFactory.built.get("openrouter").failures.add(FakeProvider.retryable("openrouter", 503));

    ChatResponse response = router.chat(ALICE, ChatRequest.of("m/a", "x"));

    assertThat(response.provider()).isEqualTo("backup");
    assertThat(openrouterFactory.built.get("openrouter").requests).hasSize(1);
  }

  @Test
  void doesNotFailOverOnABadRequestBecauseItWouldFailEverywhere() {
    Router router = router(Configs.create()
        .provider("openrouter", 5, false, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a")
        .provider("backup", 0, false, null, Set.of(ApiFormat.OPENAI_CHAT), "m/a"));
    openrouterFactory.built.get("openrouter").failures.add(FakeProvider.permanent("openrouter", 400));

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("m/a", "x")))
        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThat(backupFactory.built.get("backup").requests).isEmpty();
  }

  @Test
  void lastProvidersErrorSurfacesWhenEveryRouteFails() {
    Router router = router(Configs.create().provider("openrouter", "m/a").provider("backup", "m/a"));
    openrouterFactory.built.get("openrouter").failures.add(FakeProvider.retryable("openrouter", 502));
    backupFactory.built.get("backup").failures.add(FakeProvider.retryable("backup", 503));

    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("m/a", "x")))
        .isInstanceOfSatisfying(ProviderException.class, e -> {
          assertThat(e.providerId()).isEqualTo("backup");
          assertThat(e.statusCode()).isEqualTo(503);
        });
  }

  @Test
  void streamFailsOverOnlyBeforeItStarts() {
    Router router = router(Configs.create().provider("openrouter", "m/a").provider("backup", "m/a"));
    openrouterFactory.built.get("openrouter").failures.add(FakeProvider.retryable("openrouter", 429));

    try (ChatStream stream = router.stream(ALICE, ChatRequest.of("m/a", "x"))) {
      assertThat(stream.provider()).isEqualTo("backup");
      assertThat(stream.response().text()).isEqualTo("Hello");
    }
  }

  @Test
  void asyncChatRoutesAndFailsOver() throws Exception {
    Router router = router(Configs.create().provider("openrouter", "m/a").provider("backup", "m/a"));
    openrouterFactory.built.get("openrouter").failures.add(FakeProvider.retryable("openrouter", 500));

    assertThat(router.chatAsync(ALICE, ChatRequest.of("m/a", "x")).get().provider()).isEqualTo("backup");
  }

  @Test
  void asyncChatReportsRoutingErrorsThroughTheFuture() {
    Router router = router(Configs.create().provider("openrouter", "m/a"));

    assertThat(router.chatAsync(ALICE, ChatRequest.of("m/nope", "x")))
        .failsWithin(java.time.Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(ModelNotFoundException.class);
  }

  @Test
  void inStrictModeAnEntryWithNoMatchingFactoryIsAConfigurationErrorListingTheKnownTypes() {
    assertThatThrownBy(() -> Router.builder()
        .config(Configs.create().provider("mystery", "m/a")
            .provider("other", 0, false, "anthropic", Set.of(ApiFormat.OPENAI_CHAT), "m/b").build())
        .addProviderFactory(openrouterFactory)
        .strict(true)
        .build())
        .isInstanceOfSatisfying(ConfigurationException.class, e -> {
          assertThat(e.problems()).hasSize(2);
          assertThat(e.problems().get(0).path()).isEqualTo("providers.mystery");
          assertThat(e.problems().get(1).path()).isEqualTo("providers.other.type");
          assertThat(e.getMessage()).contains("no provider factory for type 'anthropic'")
              .contains("known types: openrouter");
        });
  }

  @Test
  void aProviderWithNoImplementationIsListedAsUnavailableAndItsModelsFailWithTheReason() {
    Router router = Router.builder()
        .config(Configs.create().provider("openrouter", "m/a")
            .provider("other", 0, false, "anthropic", Set.of(ApiFormat.OPENAI_CHAT), "m/b", "m/a")
            .grant(List.of("*"), "user", "**").build())
        .addProviderFactory(openrouterFactory)
        .build();

    assertThat(router.unavailableProviders()).containsOnlyKeys("other");
    assertThat(router.unavailableProviders().get("other")).contains("no provider factory for type 'anthropic'");
    assertThat(router.models(ALICE)).filteredOn(m -> m.providerId().equals("other"))
        .allSatisfy(m -> assertThat(m.available()).isFalse());
    assertThatThrownBy(() -> router.chat(ALICE, ChatRequest.of("m/b", "x")))
        .isInstanceOfSatisfying(ProviderUnavailableException.class, e -> {
          assertThat(e.providerId()).isEqualTo("other");
          assertThat(e.getMessage()).contains("no provider factory for type 'anthropic'");
        });
    // A model both serve goes to the usable provider, whatever the order in the file.
    assertThat(router.chat(ALICE, ChatRequest.of("m/a", "x")).provider()).isEqualTo("openrouter");
  }

  @Test
  void factoryIsChosenByTypeThenIdThenBaseUrlHost() {
    Configs.FakeFactory byHost = new Configs.FakeFactory("openrouter");
    Router router = Router.builder()
        .config(Configs.create()
            .providerAt("my-router", "https://openrouter.ai/api/", "m/host")
            .provider("backup", "m/id")
            .provider("custom", 0, false, "backup", Set.of(ApiFormat.OPENAI_CHAT), "m/type")
            .grant(List.of("*"), "user", "**").build())
        .addProviderFactory(byHost)
        .addProviderFactory(backupFactory)
        .build();

    assertThat(byHost.built).containsOnlyKeys("my-router");
    assertThat(backupFactory.built).containsOnlyKeys("backup", "custom");
    assertThat(router.providers()).containsOnlyKeys("my-router", "backup", "custom");
  }

  @Test
  void factoryRejectionsAreCollectedWithEveryOtherProblem() {
    ProviderFactory strict = new ProviderFactory() {
      @Override
      public String type() {
        return "openrouter";
      }

      @Override
      public Provider create(dev.aperture.config.ProviderConfig config) {
        throw new ConfigurationException(config.path() + ".compatibility.openai_responses",
            "OpenRouter does not support the Responses API");
      }
    };

    assertThatThrownBy(() -> Router.builder()
        .config(Configs.create().provider("openrouter", "m/a").provider("nobody", "m/b").build())
        .addProviderFactory(strict)
        .build())
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
            .extracting(p -> p.path())
            .containsExactly("providers.openrouter.compatibility.openai_responses"));
  }

  @Test
  void providerAddedInCodeServesItsModels() {
    FakeProvider local = new FakeProvider("local");
    Router router = Router.builder().addProvider(local, List.of("llama3")).build();

    assertThat(router.chat(ChatRequest.of("llama3", "hey")).text()).isEqualTo("local says: hey");
    assertThat(router.chat(ChatRequest.of("local/llama3", "hey")).provider()).isEqualTo("local");
  }

  @Test
  void modelsListsWhatTheCallerMayUseWithProviderAndFormats() {
    Router router = Router.builder()
        .config(Configs.create()
            .provider("openrouter", 0, false, null, Set.of(ApiFormat.OPENAI_CHAT), "qwen/a", "x-ai/b")
            .grant(List.of("alice@example.com"), "user", "openrouter/qwen/*")
            .build())
        .addProviderFactory(openrouterFactory)
        .build();

    assertThat(router.models(ALICE)).containsExactly(new ModelInfo("openrouter/qwen/a", "qwen/a",
        "openrouter", "OPENROUTER", Set.of(ApiFormat.OPENAI_CHAT)));
    assertThat(router.models(Caller.anonymous())).isEmpty();
  }

  @Test
  void aProviderAddedInCodeMustHaveAOneSegmentId() {
    assertThatThrownBy(() -> Router.builder().addProvider(new FakeProvider("openrouter/qwen"), List.of("m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one non-empty segment");
    assertThatThrownBy(() -> Router.builder().addProvider(new FakeProvider(" x"), List.of("m")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFactoryFailureMessageNeverCarriesTheEntrysSecrets() {
    ProviderFactory echoing = new ProviderFactory() {
      @Override
      public String type() {
        return "openrouter";
      }

      @Override
      public Provider create(dev.aperture.config.ProviderConfig config) {
        throw new IllegalArgumentException("bad: " + config.apiKey().reveal() + " "
            + config.addHeaders().get(0).value() + " " + config.baseUrl());
      }
    };
    dev.aperture.config.ProviderConfig entry = new dev.aperture.config.ProviderConfig("openrouter", null,
        "https://user:hunter2@openrouter.ai/api/", List.of("m/a"), ApiKey.of("sk-or-v1-topsecret"),
        dev.aperture.config.Authorization.BEARER, Set.of(ApiFormat.OPENAI_CHAT),
        List.of(new dev.aperture.config.ProviderConfig.Header("X-Token", "header-secret")), 0, false, null,
        null, null, "providers.openrouter");
    dev.aperture.config.ApertureConfig config = new dev.aperture.config.ApertureConfig(
        java.util.Map.of("openrouter", entry), List.of(), true, java.util.Map.of(), java.util.Map.of(),
        List.of(), "test");

    assertThatThrownBy(() -> Router.builder().config(config).addProviderFactory(echoing).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("factory 'openrouter' failed: bad:")
        .message().doesNotContain("topsecret", "header-secret", "hunter2");
    assertThat(entry.toString()).doesNotContain("topsecret", "header-secret", "hunter2");
  }
}
