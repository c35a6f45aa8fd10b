package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aperture.config.Grant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Aperture's grants: deny by default, additive, exact on the canonical {@code provider/model} name. */
class GrantsTest {
  private static final String QWEN = "qwen/qwen3-235b-a22b-2507";
  private static final String GROK = "x-ai/grok-code-fast-1";
  private static final String GEMINI = "google/gemini-2.5-pro-preview";

  private final Configs.FakeFactory factory = new Configs.FakeFactory("openrouter");
  private final Configs.FakeFactory anthropicFactory = new Configs.FakeFactory("anthropic");

  private Router router(Configs configs) {
    return Router.builder()
        .config(configs.build())
        .addProviderFactory(factory)
        .addProviderFactory(anthropicFactory)
        .build();
  }

  private Configs seed() {
    return Configs.create().provider("openrouter", QWEN, GROK, GEMINI);
  }

  private static boolean allowed(Router router, Caller caller, String model) {
    try {
      router.chat(caller, ChatRequest.of(model, "hi"));
      return true;
    } catch (AccessDeniedException e) {
      return false;
    }
  }

  @Test
  void deniesEverythingByDefault() {
    Router router = router(seed().grant(List.of("bob@example.com"), "user", "**"));

    assertThatThrownBy(() -> router.chat(Caller.of("alice@example.com"), ChatRequest.of(QWEN, "hi")))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
          assertThat(e.model()).isEqualTo(QWEN);
          assertThat(e.getMessage()).isEqualTo(
              "caller 'alice@example.com' is not granted model '" + QWEN + "'");
        });
    assertThat(factory.built.get("openrouter").requests).isEmpty();
  }

  @Test
  void configurationWithoutGrantsDeniesAndSaysWhy() {
    Router router = router(seed().noGrantsKey());

    assertThatThrownBy(() -> router.chat(Caller.of("alice@example.com"), ChatRequest.of(QWEN, "hi")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("the configuration has no grants");
  }

  @Test
  void allowAllPolicyLetsEveryoneUseEveryModel() {
    Router router = Router.builder().config(seed().noGrantsKey().build()).addProviderFactory(factory)
        .accessPolicy(AccessPolicy.allowAll()).build();

    assertThat(allowed(router, Caller.anonymous(), QWEN)).isTrue();
  }

  @Test
  void starSourceGrantsEveryoneIncludingAnonymousCallers() {
    Router router = router(seed().grant(List.of("*"), "user", "openrouter/qwen/*"));

    assertThat(allowed(router, Caller.anonymous(), QWEN)).isTrue();
    assertThat(allowed(router, Caller.of("alice@example.com"), QWEN)).isTrue();
    assertThat(allowed(router, Caller.anonymous(), GROK)).isFalse();
  }

  @Test
  void loginGroupAndTagSourcesGrantOnlyTheirCallers() {
    Router router = router(seed()
        .grant(List.of("alice@example.com"), "user", "openrouter/" + QWEN)
        .grant(List.of("group:eng"), "user", "openrouter/x-ai/*")
        .grant(List.of("tag:ci"), "user", "openrouter/google/**"));

    Caller alice = Caller.of("alice@example.com");
    Caller engineer = Caller.of("carol@example.com").withGroups("eng");
    Caller ciBot = Caller.of("bot").withTags("ci");

    assertThat(allowed(router, alice, QWEN)).isTrue();
    assertThat(allowed(router, alice, GROK)).isFalse();
    assertThat(allowed(router, engineer, GROK)).isTrue();
    assertThat(allowed(router, engineer, QWEN)).isFalse();
    assertThat(allowed(router, ciBot, GEMINI)).isTrue();
    assertThat(allowed(router, ciBot, GROK)).isFalse();
  }

  @Test
  void grantsAreAdditive() {
    Router router = router(seed()
        .grant(List.of("*"), "user", "openrouter/qwen/*")
        .grant(List.of("group:eng"), "user", "openrouter/x-ai/*"));

    Caller engineer = Caller.of("carol@example.com").withGroups("eng");
    assertThat(allowed(router, engineer, QWEN)).isTrue();
    assertThat(allowed(router, engineer, GROK)).isTrue();
    assertThat(allowed(router, engineer, GEMINI)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "user, true",
      "admin, true",
      "superuser, false",
      "'', false",
      "USER, false",
  })
  void onlyTheUserAndAdminRolesGrantAccess(String role, boolean expected) {
    Router router = router(seed().grant(List.of("*"), role, "**"));

    assertThat(allowed(router, Caller.of("alice@example.com"), QWEN)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "openrouter/**, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "**, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "openrouter/qwen/*, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "openrouter/*, openrouter/qwen/qwen3-235b-a22b-2507, false",
      "*, openrouter/qwen/qwen3-235b-a22b-2507, false",
      "openrouter/*/qwen3-235b-a22b-2507, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "openrouter/qwen/qwen3-*, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "openrouter/qwen/qwen3-235b-a22b-2507, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "openrouter/qwen/qwen3-235b-a22b, openrouter/qwen/qwen3-235b-a22b-2507, false",
      "openrouter/**/qwen3-235b-a22b-2507, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "anthropic/**, openrouter/qwen/qwen3-235b-a22b-2507, false",
      "open*/**, openrouter/qwen/qwen3-235b-a22b-2507, true",
      "openrouter/qwen, openrouter/qwen/qwen3-235b-a22b-2507, false",
      "openrouter/qwen/, openrouter/qwen/qwen3-235b-a22b-2507, false",
  })
  void globsMatchOneSegmentWithStarAndAnyWithDoubleStar(String glob, String model, boolean expected) {
    Router router = router(seed().grant(List.of("*"), "user", glob));

    assertThat(allowed(router, Caller.of("alice@example.com"), model)).isEqualTo(expected);
  }

  // ---- Attempts to widen access ----

  @ParameterizedTest
  @ValueSource(strings = {
      "OPENROUTER/qwen/qwen3-235b-a22b-2507",
      "openrouter/QWEN/qwen3-235b-a22b-2507",
      "openrouter/qwen/../x-ai/grok-code-fast-1",
      "openrouter/qwen/./qwen3-235b-a22b-2507",
      "openrouter//qwen/qwen3-235b-a22b-2507",
      "openrouter/qwen/qwen3-235b-a22b-2507/",
      " openrouter/qwen/qwen3-235b-a22b-2507",
      "openrouter/qwen/qwen3-235b-a22b-2507 ",
      "openrouter/qwen/qwen3-235b-a22b-2507\n",
      "openrouter/qwen/qwen3-235b-a22b-2507\u0000",
      "openrouter/qwen/qwen3-235b-a22b-2507%2F",
  })
  void misspelledModelNamesFindNothingRatherThanSomethingElse(String model) {
    Router router = router(seed().grant(List.of("*"), "user", "openrouter/qwen/*"));

    assertThatThrownBy(() -> router.chat(Caller.of("alice@example.com"), ChatRequest.of(model, "hi")))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(factory.built.get("openrouter").requests).isEmpty();
  }

  @Test
  void caseChangesInTheCallersIdentityDoNotMatchAGrant() {
    Router router = router(seed()
        .grant(List.of("alice@example.com"), "user", "**")
        .grant(List.of("group:eng"), "user", "**"));

    assertThat(allowed(router, Caller.of("Alice@Example.com"), QWEN)).isFalse();
    assertThat(allowed(router, Caller.of(" alice@example.com"), QWEN)).isFalse();
    assertThat(allowed(router, Caller.of("x").withGroups("ENG"), QWEN)).isFalse();
  }

  @Test
  void emptyOrBlankSourcesNameNobodyNotEveryone() {
    Router router = router(seed().grant(List.of("", " ", "group:", "tag:"), "user", "**"));

    assertThat(allowed(router, Caller.anonymous(), QWEN)).isFalse();
    assertThat(allowed(router, new Caller("", Set.of(""), Set.of("")), QWEN)).isFalse();
    assertThat(allowed(router, Caller.of(" "), QWEN)).isFalse();
  }

  @Test
  void aLoginThatLooksLikeAGroupOrTagDoesNotMatchThatGroupOrTag() {
    Router router = router(seed()
        .grant(List.of("group:eng"), "user", "**")
        .grant(List.of("tag:ci"), "user", "**"));

    assertThat(allowed(router, Caller.of("group:eng"), QWEN)).isFalse();
    assertThat(allowed(router, Caller.of("tag:ci"), QWEN)).isFalse();
    assertThat(allowed(router, Caller.of("x").withGroups("tag:ci"), QWEN)).isFalse();
    assertThat(allowed(router, Caller.of("*"), QWEN)).isFalse();
  }

  @Test
  void aProviderPrefixCannotBeSpoofedToBorrowAnotherProvidersGrant() {
    // Grant covers openrouter's models only; anthropic also serves a model whose name starts "openrouter/".
    Router router = router(Configs.create()
        .provider("openrouter", QWEN)
        .provider("anthropic", "openrouter/qwen/qwen3-235b-a22b-2507", "claude-sonnet")
        .grant(List.of("*"), "user", "openrouter/**"));

    // Asked bare, the name resolves to anthropic's model, whose canonical name is anthropic/openrouter/...
    assertThat(allowed(router, Caller.of("alice@example.com"),
        "anthropic/openrouter/qwen/qwen3-235b-a22b-2507")).isFalse();
    assertThat(allowed(router, Caller.of("alice@example.com"), "anthropic/claude-sonnet")).isFalse();
    assertThat(allowed(router, Caller.of("alice@example.com"), "openrouter/" + QWEN)).isTrue();
    assertThat(anthropicFactory.built.get("anthropic").requests).isEmpty();
  }

  @Test
  void bareModelServedByTwoProvidersUsesOnlyTheGrantedOne() {
    Router router = router(Configs.create()
        .provider("anthropic", 10, false, null, Set.of(ApiFormat.OPENAI_CHAT), QWEN)
        .provider("openrouter", QWEN)
        .grant(List.of("*"), "user", "openrouter/**"));

    ChatResponse response = router.chat(Caller.of("alice@example.com"), ChatRequest.of(QWEN, "hi"));

    assertThat(response.provider()).isEqualTo("openrouter");
    assertThat(anthropicFactory.built.get("anthropic").requests).isEmpty();
  }

  @Test
  void notFoundSuggestionsNeverRevealModelsTheCallerMayNotUse() {
    Router router = router(seed().grant(List.of("*"), "user", "openrouter/qwen/*"));

    assertThatThrownBy(() -> router.chat(Caller.anonymous(), ChatRequest.of("x-ai/grok-code-fast", "hi")))
        .isInstanceOfSatisfying(ModelNotFoundException.class,
            e -> assertThat(e.suggestions()).doesNotContain(GROK, "openrouter/" + GROK));
  }

  @Test
  void decisionsStayCorrectAcrossManyCallers() {
    Router router = router(seed().grant(List.of("group:eng"), "user", "openrouter/qwen/*"));

    for (int i = 0; i < 5_000; i++) { // more callers than the decision cache holds
      boolean engineer = i % 2 == 0;
      Caller caller = engineer ? Caller.of("u" + i).withGroups("eng") : Caller.of("u" + i);
      assertThat(allowed(router, caller, QWEN)).isEqualTo(engineer);
    }
  }

  @Test
  void customPoliciesPlugIn() {
    AccessPolicy onlyQwen = (caller, route) -> route.model().startsWith("qwen/");
    Router router = Router.builder().config(seed().build()).addProviderFactory(factory)
        .accessPolicy(onlyQwen).build();

    assertThat(allowed(router, Caller.anonymous(), QWEN)).isTrue();
    assertThat(allowed(router, Caller.anonymous(), GROK)).isFalse();
  }

  @Test
  void grantRecordWithoutCapabilitiesGrantsNothing() {
    Router router = Router.builder()
        .config(new dev.aperture.config.ApertureConfig(seed().build().providers(),
            List.of(new Grant(List.of("*"), List.of())), true, java.util.Map.of(), java.util.Map.of(),
            List.of(), "test"))
        .addProviderFactory(factory).build();

    assertThat(allowed(router, Caller.anonymous(), QWEN)).isFalse();
  }
}
