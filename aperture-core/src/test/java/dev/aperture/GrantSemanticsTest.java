package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.config.ApertureConfig;
import dev.aperture.config.Grant;
import dev.aperture.internal.GrantsPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Aperture's grant semantics, decided by {@link GrantsPolicy#decide}: a matrix of shapes and callers. */
class GrantSemanticsTest {
  private static final String QWEN = "openrouter/qwen/qwen3-235b-a22b-2507";
  private static final String GROK = "openrouter/x-ai/grok-code-fast-1";
  private static final Caller ALICE = Caller.of("alice@example.com");

  private static final String PROVIDERS = """
        "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "apikey": "${KEY}",
          "models": ["qwen/qwen3-235b-a22b-2507", "x-ai/grok-code-fast-1"]}},
        "quotas": {
          "daily:<user>": {"capacity": "$10.00", "rate": "$5.00/day"},
          "grok:<user>": {"capacity": "$1.00", "rate": "$1.00/day"},
          "node:<node>": {"capacity": "$0.00", "rate": "$0.00/day"}
        },
        "hooks": {
          "guard": {"url": "https://guard.example/check"},
          "audit": {"url": "https://audit.example/log", "fail_policy": "fail_closed"},
          "off": {"url": "https://off.example/", "disabled": true}
        },
      """;

  private static Decisions grants(String grants) {
    return Decisions.of("{" + PROVIDERS + "\"grants\": [" + grants + "]}");
  }

  @Test
  void roleAndModelsInSeparateObjectsOfOneGrant() {
    Decisions decisions = grants("""
        {"src": ["alice@example.com"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user"}, {"models": "openrouter/qwen/*"}]}}
        """);

    assertThat(decisions.allowed(ALICE, QWEN)).isTrue();
    assertThat(decisions.decide(ALICE, GROK).denial()).isEqualTo(AccessDecision.Denial.NOT_GRANTED);
  }

  @Test
  void roleAndModelsInSeparateGrantsWithDifferentSources() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user"}]}},
        {"src": ["group:eng"], "app": {"tailscale.com/cap/aperture": [{"models": "openrouter/**"}]}}
        """);

    assertThat(decisions.allowed(ALICE.withGroups("eng"), GROK)).isTrue();
    assertThat(decisions.decide(ALICE, GROK).denial()).isEqualTo(AccessDecision.Denial.NOT_GRANTED);
  }

  @Test
  void modelGrantsWithoutAnyRoleAreRefused() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"models": "**"}]}}
        """);

    AccessDecision decision = decisions.decide(ALICE, QWEN);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.denial()).isEqualTo(AccessDecision.Denial.NO_ROLE);
  }

  @Test
  void adminBeatsUserWhicheverGrantComesFirst() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": "**"}]}},
        {"src": ["group:admins"], "app": {"tailscale.com/cap/aperture": [{"role": "admin"}]}},
        {"src": ["group:eng"], "app": {"tailscale.com/cap/aperture": [{"role": "user"}]}}
        """);

    assertThat(decisions.decide(ALICE.withGroups("admins", "eng"), QWEN).role())
        .isEqualTo(AccessDecision.AccessRole.ADMIN);
    assertThat(decisions.decide(ALICE, QWEN).role()).isEqualTo(AccessDecision.AccessRole.USER);
  }

  @Test
  void floatingQuotasApplyToEveryReachableModelAndScopedOnesOnlyToTheirs() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user", "quotas": [{"bucket": "daily:<user>"}]},
          {"models": "openrouter/**"},
          {"models": "openrouter/x-ai/*", "quotas": [{"bucket": "grok:<user>"}]}]}}
        """);

    assertThat(decisions.decide(ALICE, QWEN).quotaBuckets()).extracting(QuotaBucket::name)
        .containsExactly("daily:alice@example.com");
    assertThat(decisions.decide(ALICE, GROK).quotaBuckets()).extracting(QuotaBucket::name)
        .containsExactly("daily:alice@example.com", "grok:alice@example.com");
  }

  @Test
  void aFloatingCapabilityNeverGrantsAModelByItself() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user", "quotas": [{"bucket": "daily:<user>"}],
           "send_hooks": [{"name": "guard", "events": ["pre_request"]}]}]}}
        """);

    assertThat(decisions.decide(ALICE, QWEN).denial()).isEqualTo(AccessDecision.Denial.NOT_GRANTED);
  }

  @Test
  void sendHooksOfEveryMatchingCapabilityAreUnionedPerHook() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user", "models": "**"},
          {"send_hooks": [{"name": "guard", "events": ["pre_request"], "send": ["request_body"]}]}]}},
        {"src": ["alice@example.com"], "app": {"tailscale.com/cap/aperture": [
          {"models": "openrouter/x-ai/*",
           "send_hooks": [
             {"name": "guard", "events": ["entire_request"], "send": ["user_message", "request_body"]},
             {"name": "audit", "events": ["entire_request"], "send": ["response_body", "estimated_cost"]},
             {"name": "off", "events": ["pre_request"]}]}]}}
        """);

    AccessDecision grok = decisions.decide(ALICE, GROK);
    assertThat(grok.hooks()).containsOnlyKeys("guard", "audit");
    assertThat(grok.hooks().get("guard").events()).containsExactly(
        AccessDecision.HookEvent.PRE_REQUEST, AccessDecision.HookEvent.ENTIRE_REQUEST);
    assertThat(grok.hooks().get("guard").send()).containsExactly("request_body", "user_message");
    assertThat(grok.hooks().get("audit").send()).containsExactly("response_body", "estimated_cost");
    AccessDecision qwen = decisions.decide(ALICE, QWEN);
    assertThat(qwen.hooks()).containsOnlyKeys("guard");
    assertThat(qwen.hooks().get("guard").events()).containsExactly(AccessDecision.HookEvent.PRE_REQUEST);
    assertThat(decisions.decide(Caller.of("bob@example.com"), GROK).hooks()).containsOnlyKeys("guard");
  }

  @Test
  void grantHeadersApplyOnlyToMatchingModelsAndCustomCapabilitiesAreHandedOn() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {
          "tailscale.com/cap/aperture": [
            {"role": "user", "models": "**"},
            {"models": "openrouter/qwen/*", "add_headers": ["X-Project: qwen-team"]}],
          "mycompany.com/cap/policy": [{"tier": "gold"}]}}
        """);

    AccessDecision qwen = decisions.decide(ALICE, QWEN);
    assertThat(qwen.headers()).containsExactly(new AccessDecision.Header("X-Project", "qwen-team"));
    assertThat(qwen.customCapabilities()).containsOnlyKeys("mycompany.com/cap/policy");
    assertThat(decisions.decide(ALICE, GROK).headers()).isEmpty();
  }

  @Test
  void sourceFormsMatchTheirCallers() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user"}]}},
        {"src": ["tag:ci"], "app": {"tailscale.com/cap/aperture": [{"models": "openrouter/qwen/*"}]}},
        {"src": ["(loopback)"], "app": {"tailscale.com/cap/aperture": [{"models": "openrouter/x-ai/*"}]}},
        {"src": ["eng-team@example.com"], "app": {"tailscale.com/cap/aperture": [{"models": "**",
          "quotas": [{"bucket": "daily:<user>"}, {"bucket": "node:<node>"}]}]}}
        """);

    Caller ci = Caller.builder().tags("ci", "build").node("nodeABC").build();
    assertThat(decisions.allowed(ci, QWEN)).isTrue();
    assertThat(decisions.allowed(ci, GROK)).isFalse();
    assertThat(decisions.allowed(Caller.builder().loopback(true).build(), GROK)).isTrue();
    assertThat(decisions.allowed(Caller.anonymous(), GROK)).isFalse();
    // A SCIM group is matched by its email among the caller's groups.
    Caller scim = Caller.of("carol@example.com").withGroups("eng-team@example.com").withNode("n1");
    assertThat(decisions.decide(scim, GROK).quotaBuckets()).extracting(QuotaBucket::name)
        .containsExactly("daily:carol@example.com", "node:n1");
    // <user> for a tagged device without a login is its tags, sorted.
    Caller taggedScim = Caller.builder().tags("ci", "build").groups(Set.of("eng-team@example.com"))
        .node("nodeABC").build();
    assertThat(decisions.decide(taggedScim, GROK).quotaBuckets()).extracting(QuotaBucket::name)
        .containsExactly("daily:tag:build,tag:ci", "node:nodeABC");
    assertThat(decisions.decide(taggedScim, GROK).quotaBuckets().get(1).capacityNanos()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"OpenRouter/qwen/qwen3-235b-a22b-2507", "openrouter/qwen/../x-ai/grok-code-fast-1",
      "openrouter//qwen/qwen3-235b-a22b-2507", "openrouter/qwen/qwen3-235b-a22b-2507 ",
      "openrouter/QWEN/qwen3-235b-a22b-2507", "openrouter/x-ai/grok-code-fast-1"})
  void namesThatOnlyLookGrantedAreRefused(String model) {
    Decisions decisions = grants("""
        {"src": ["alice@example.com"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user", "models": "openrouter/qwen/*"}]}}
        """);

    assertThat(decisions.decide(ALICE, model).denial()).isEqualTo(AccessDecision.Denial.NOT_GRANTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"group:eng", "tag:ci", "*", "(loopback)", "autogroup:member"})
  void aLoginSpelledLikeAnotherSourceFormMatchesOnlyItself(String login) {
    Decisions decisions = grants("""
        {"src": ["group:eng", "tag:ci", "(loopback)", "autogroup:member"],
         "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": "**"}]}}
        """);

    assertThat(decisions.allowed(Caller.of(login), QWEN)).isFalse();
  }

  @Test
  void unsupportedSourcesAndImpossibleGlobsAreWarningsThatNeverWiden() {
    ApertureConfig config = ApertureConfig.parse("{" + PROVIDERS.replace("${KEY}", "k") + """
        "grants": [{"src": ["autogroup:member", "*"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user"},
          {"models": "qwen/*"},
          {"models": "openrouter/***", "quotas": [{"bucket": "daily:<user>"}]},
          {"models": "openrouter//x"},
          {"models": "openrouter/*"}]}}]}
        """);

    String capabilities = "grants[0].app[\"tailscale.com/cap/aperture\"]";
    assertThat(config.problems()).extracting(p -> p.path() + ": " + p.message()).containsExactly(
        "grants[0].src[0]: source \"autogroup:member\" is not supported by the SDK (supported: \"*\", a "
            + "login, group:NAME, a SCIM group email, tag:NAME, \"(loopback)\"); it names nobody",
        capabilities + "[1].models: model glob \"qwen/*\" starts with \"qwen\", which is no configured "
            + "provider id, so it matches no configured model; globs match provider/model, such as "
            + "\"openrouter/**\"",
        capabilities + "[2].models: model glob \"openrouter/***\" uses '**' inside a segment; '**' must be "
            + "a whole segment (\"openrouter/**\"); it is ignored",
        capabilities + "[3].models: model glob \"openrouter//x\" has an empty segment ('//' or a leading or "
            + "trailing '/'); it is ignored",
        capabilities + "[4].models: model glob \"openrouter/*\" matches none of the configured models");
    Decisions decisions = new Decisions(config);
    // The dropped glob's capability stays scoped (to nothing), so its bucket never becomes floating.
    assertThat(decisions.decide(ALICE, QWEN).denial()).isEqualTo(AccessDecision.Denial.NOT_GRANTED);
    assertThat(config.grants().get(0).capabilities().get(2).isFloating()).isFalse();
  }

  @Test
  void decisionsAreCachedPerCallerAndRoute() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [{"role": "user", "models": "**",
          "quotas": [{"bucket": "daily:<user>"}]}]}}
        """);
    GrantsPolicy policy = new GrantsPolicy(ApertureConfig.parse("{" + PROVIDERS.replace("${KEY}", "k")
        + "\"grants\": [{\"src\": [\"*\"], \"app\": {\"tailscale.com/cap/aperture\": [{\"role\": \"user\", "
        + "\"models\": \"**\"}]}}]}"));
    Route route = new Route(new FakeProvider("openrouter"), "qwen/qwen3-235b-a22b-2507",
        Set.of(ApiFormat.OPENAI_CHAT), 0);

    assertThat(policy.decide(ALICE, route)).isSameAs(policy.decide(Caller.of("alice@example.com"), route));
    assertThat(policy.allows(ALICE, route)).isTrue();
    assertThat(decisions.decide(ALICE, QWEN).quotaBuckets()).hasSize(1);
  }

  @Test
  void aConfigurationWithoutGrantsDeniesEveryCallSayingSo() {
    GrantsPolicy policy = new GrantsPolicy(List.<Grant>of());
    Route route = new Route(new FakeProvider("openrouter"), "m", Set.of(ApiFormat.OPENAI_CHAT), 0);

    assertThat(policy.decide(ALICE, route).denial()).isEqualTo(AccessDecision.Denial.NO_GRANTS);
    assertThat(policy.isEmpty()).isTrue();
  }

  @Test
  void theEarlierSdkShapeStillLoadsAndMeansTheSame() {
    Decisions decisions = grants("""
        {"src": ["*"], "app": {"tailscale.com/cap/aperture": [
          {"role": "user", "models": ["openrouter/qwen/*", "openrouter/x-ai/*"]}]}}
        """);

    assertThat(decisions.allowed(ALICE, QWEN)).isTrue();
    assertThat(decisions.allowed(ALICE, GROK)).isTrue();
  }
}
