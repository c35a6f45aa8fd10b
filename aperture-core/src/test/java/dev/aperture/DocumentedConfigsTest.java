package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.config.ApertureConfig;
import dev.aperture.config.Authorization;
import dev.aperture.config.Hook;
import dev.aperture.config.ProviderConfig;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Configurations written from Aperture's own documentation and the {@code tailscale/aperture-recipes}
 * repository (each test names its page). Each loads strictly (no warning) unless the page's point is a
 * warning, and means here what the page says it means there.
 */
class DocumentedConfigsTest {
  private static final Caller ALICE = Caller.of("alice@example.com");
  private static final Caller BOB = Caller.of("bob@example.com");

  private static ApertureConfig strict(String text) {
    return ApertureConfig.parseStrict(text, "doc.hujson", Map.of("KEY", "sk-test-key")::get);
  }

  /** github.com/tailscale/aperture-recipes: integrations/providers/openrouter/README.md. */
  @Test
  void openRouterRecipeGivesDevelopersEveryOpenRouterModel() {
    Decisions decisions = new Decisions(strict("""
        {
          "providers": {
            "openrouter": {
              "baseurl": "https://openrouter.ai/api/",
              "apikey": "<your-openrouter-key>",
              "models": [
                "qwen/qwen3-235b-a22b-2507",
                "google/gemini-2.5-pro-preview",
                "x-ai/grok-code-fast-1"
              ]
            }
          },
          "grants": [
            {
              "src": ["group:developers"],
              "app": {
                "tailscale.com/cap/aperture": [
                  { "role": "user" },
                  { "models": "openrouter/**" }
                ]
              }
            }
          ]
        }
        """));

    Caller developer = ALICE.withGroups("developers");
    AccessDecision decision = decisions.decide(developer, "openrouter/qwen/qwen3-235b-a22b-2507");
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.role()).isEqualTo(AccessDecision.AccessRole.USER);
    assertThat(decision.quotaBuckets()).isEmpty();
    assertThat(decisions.allowed(developer, "openrouter/x-ai/grok-code-fast-1")).isTrue();
    assertThat(decisions.decide(BOB, "openrouter/x-ai/grok-code-fast-1").denial())
        .isEqualTo(AccessDecision.Denial.NOT_GRANTED);
  }

  /**
   * github.com/tailscale/aperture-recipes: integrations/hooks/pre-request/ssn-scrubber/README.md. The
   * recipe's grant wires the hook and the models but gives no role: alone it refuses every call.
   */
  @Test
  void ssnScrubberRecipeWiresAFailClosedGuardrailForEveryModel() {
    String hooksAndGrant = """
          "hooks": {
            "ssn-scrubber": {
              "url": "http://ssn-guard.example.ts.net:8080/scrub",
              "apikey": "sk-ssn-secret",
              "fail_policy": "fail_closed",
              "timeout": "500ms",
              "preference": 10
            }
          },
          "grants": [
            {
              "src": ["*"],
              "app": {
                "tailscale.com/cap/aperture": [
                  { "models": "**" },
                  {
                    "send_hooks": [
                      {
                        "name": "ssn-scrubber",
                        "events": ["pre_request"],
                        "send": ["request_body", "user_message"]
                      }
                    ]
                  }
                ]
              }
            }%s
          ]
        }
        """;
    String providers = """
        {
          "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "apikey": "${KEY}",
                                       "models": ["qwen/qwen3-235b-a22b-2507"]}},
        """;
    ApertureConfig recipe = strict(providers + hooksAndGrant.formatted(""));
    Hook hook = recipe.hooks().get("ssn-scrubber");
    assertThat(hook.failClosed()).isTrue();
    assertThat(hook.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(hook.preference()).isEqualTo(10);
    assertThat(hook.authorization()).isEqualTo(Authorization.BEARER);
    assertThat(hook.toString()).doesNotContain("sk-ssn-secret");
    assertThat(new Decisions(recipe).decide(ALICE, "openrouter/qwen/qwen3-235b-a22b-2507").denial())
        .isEqualTo(AccessDecision.Denial.NO_ROLE);

    Decisions withRole = new Decisions(strict(providers + hooksAndGrant.formatted(
        ",\n{\"src\": [\"*\"], \"app\": {\"tailscale.com/cap/aperture\": [{\"role\": \"user\"}]}}")));
    AccessDecision decision = withRole.decide(ALICE, "openrouter/qwen/qwen3-235b-a22b-2507");
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.hooks()).containsOnlyKeys("ssn-scrubber");
    assertThat(decision.hooks().get("ssn-scrubber").events())
        .containsExactly(AccessDecision.HookEvent.PRE_REQUEST);
    assertThat(decision.hooks().get("ssn-scrubber").send()).containsExactly("request_body", "user_message");
  }

  /** tailscale.com/docs/aperture/how-to/set-per-user-spending-limits. */
  @Test
  void perUserSpendingLimitGivesEachPersonTheirOwnBucket() {
    Decisions decisions = new Decisions(strict("""
        {
          "providers": {"anthropic": {"baseurl": "https://api.anthropic.com/", "apikey": "${KEY}",
            "authorization": "x-api-key", "compatibility": {"anthropic_messages": true},
            "models": ["claude-sonnet-4-5"]}},
          "quotas": {
            "daily:<user>": {
              "capacity": "$10.00",
              "rate": "$5.00/day",
              "on_exceed": "reject"
            }
          },
          "grants": [
            {"src": ["*"], "app": {"tailscale.com/cap/aperture": [
              {"role": "user"},
              {"models": "**", "quotas": [{"bucket": "daily:<user>"}]}
            ]}}
          ]
        }
        """));

    QuotaBucket alice = decisions.decide(ALICE, "anthropic/claude-sonnet-4-5").quotaBuckets().get(0);
    QuotaBucket bob = decisions.decide(BOB, "anthropic/claude-sonnet-4-5").quotaBuckets().get(0);
    assertThat(alice).isEqualTo(new QuotaBucket("daily:alice@example.com", "daily:<user>",
        10_000_000_000L, 5_000_000_000L, Duration.ofDays(1)));
    assertThat(bob.name()).isEqualTo("daily:bob@example.com");
  }

  /** tailscale.com/docs/aperture/how-to/set-team-budget: one bucket without a template is shared. */
  @Test
  void teamBudgetIsOneSharedBucketChargedWithEachPersonsOwn() {
    Decisions decisions = new Decisions(strict("""
        {
          "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "apikey": "${KEY}",
                                       "models": ["qwen/qwen3-235b-a22b-2507"]}},
          "quotas": {
            "team-monthly": {"capacity": "$500.00", "rate": "$500.00/month"},
            "daily:<user>": {"capacity": "$10.00", "rate": "$5.00/day"}
          },
          "grants": [
            {"src": ["group:eng"], "app": {"tailscale.com/cap/aperture": [
              {"role": "user"},
              {"models": "openrouter/**",
               "quotas": [{"bucket": "team-monthly"}, {"bucket": "daily:<user>"}]}
            ]}}
          ]
        }
        """));

    AccessDecision alice = decisions.decide(ALICE.withGroups("eng"), "openrouter/qwen/qwen3-235b-a22b-2507");
    AccessDecision bob = decisions.decide(BOB.withGroups("eng"), "openrouter/qwen/qwen3-235b-a22b-2507");
    assertThat(alice.quotaBuckets()).extracting(QuotaBucket::name)
        .containsExactly("team-monthly", "daily:alice@example.com");
    assertThat(bob.quotaBuckets()).extracting(QuotaBucket::name)
        .containsExactly("team-monthly", "daily:bob@example.com");
    assertThat(alice.quotaBuckets().get(0).ratePeriod()).isEqualTo(Duration.ofDays(30));
  }

  /**
   * tailscale.com/docs/aperture/configuration and /how-grants-work: role from one grant, models from
   * another, a model-scoped bucket from a third.
   */
  @Test
  void grantsReferenceExampleUnionsRoleModelsAndAModelScopedBucket() {
    Decisions decisions = new Decisions(strict("""
        {
          "providers": {
            "openrouter": {"baseurl": "https://openrouter.ai/api/", "apikey": "${KEY}",
                           "models": ["qwen/qwen3-235b-a22b-2507"]},
            "anthropic": {"baseurl": "https://api.anthropic.com/", "apikey": "${KEY}",
                          "authorization": "x-api-key", "compatibility": {"anthropic_messages": true},
                          "models": ["claude-opus-4-1", "claude-sonnet-4-5"]}
          },
          "quotas": {"opus:<user>": {"capacity": "$20.00", "rate": "$20.00/week"}},
          "grants": [
            { "src": ["*"], "app": { "tailscale.com/cap/aperture": [ { "role": "user" } ] } },
            { "src": ["group:eng", "alice@example.com"],
              "app": { "tailscale.com/cap/aperture": [ { "models": "openrouter/**" } ] } },
            { "src": ["*"],
              "app": { "tailscale.com/cap/aperture": [
                { "models": "*/claude-opus*", "quotas": [ { "bucket": "opus:<user>" } ] } ] } }
          ]
        }
        """));

    assertThat(decisions.allowed(ALICE, "openrouter/qwen/qwen3-235b-a22b-2507")).isTrue();
    assertThat(decisions.decide(ALICE, "openrouter/qwen/qwen3-235b-a22b-2507").quotaBuckets()).isEmpty();
    assertThat(decisions.allowed(BOB, "openrouter/qwen/qwen3-235b-a22b-2507")).isFalse();
    assertThat(decisions.allowed(BOB.withGroups("eng"), "openrouter/qwen/qwen3-235b-a22b-2507")).isTrue();
    AccessDecision opus = decisions.decide(BOB, "anthropic/claude-opus-4-1");
    assertThat(opus.allowed()).isTrue();
    assertThat(opus.quotaBuckets()).extracting(QuotaBucket::name).containsExactly("opus:bob@example.com");
    assertThat(decisions.allowed(BOB, "anthropic/claude-sonnet-4-5")).isFalse();
  }

  /**
   * Aperture's default configuration (tailscale.com/docs/aperture/configuration): two providers and a
   * grant with an empty src, which is valid and applies to nobody.
   */
  @Test
  void defaultConfigurationLoadsAndGrantsNothing() {
    ApertureConfig config = strict("""
        {
          "providers": {
            "openai": {"baseurl": "https://api.openai.com/", "apikey": "", "models": ["gpt-5"]},
            "anthropic": {"baseurl": "https://api.anthropic.com/", "apikey": "",
                          "authorization": "x-api-key", "compatibility": {"anthropic_messages": true},
                          "models": ["claude-sonnet-4-5"]}
          },
          "grants": [
            {"src": [], "app": {"tailscale.com/cap/aperture": [{"role": "admin"}, {"models": "**"}]}}
          ]
        }
        """.replace("\"apikey\": \"\"", "\"apikey\": \"${KEY}\""));

    assertThat(config.providers()).containsOnlyKeys("openai", "anthropic");
    assertThat(config.grants().get(0).sources()).isEmpty();
    assertThat(new Decisions(config).decide(ALICE, "openai/gpt-5").denial())
        .isEqualTo(AccessDecision.Denial.NOT_GRANTED);
  }

  /** tailscale.com/docs/aperture/provider-compatibility: every provider shape loads without a warning. */
  @Test
  void providerCompatibilityShapesLoadCleanly() {
    String keyfile = Base64.getEncoder().encodeToString(
        "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----x\"}".getBytes());
    ApertureConfig config = strict("""
        {
          "providers": {
            "gemini": {"baseurl": "https://generativelanguage.googleapis.com/", "apikey": "${KEY}",
                       "authorization": "x-goog-api-key",
                       "compatibility": {"gemini_generate_content": true,
                                         "experimental_gemini_cli_vertex_compat": true},
                       "models": ["gemini-2.5-pro"], "cost_basis": "google"},
            "vertex": {"baseurl": "https://aiplatform.googleapis.com/", "apikey": "keyfile::%s",
                       "compatibility": {"google_generate_content": true, "google_raw_predict": true},
                       "models": ["gemini-2.5-pro"], "cost_basis": "vertex"},
            "bedrock": {"baseurl": "https://bedrock-runtime.us-east-1.amazonaws.com/", "apikey": "${KEY}",
                        "compatibility": {"bedrock_model_invoke": true, "bedrock_converse": true},
                        "models": ["anthropic.claude-sonnet-4-5"], "cost_basis": "bedrock-us",
                        "model_cost_map": [{"match": "anthropic.claude-sonnet*", "as": "claude-sonnet-4-5",
                                            "adjustment": 1.1}]},
            "openai": {"baseurl": "https://api.openai.com/", "apikey": "${KEY}",
                       "compatibility": {"openai_chat": true, "openai_responses": true},
                       "models": ["gpt-5"], "preference": 5}
          }
        }
        """.formatted(keyfile));

    ProviderConfig gemini = config.providers().get("gemini");
    assertThat(gemini.compatibility()).containsExactly(ApiFormat.GEMINI_GENERATE_CONTENT);
    assertThat(gemini.compatibilityFlags()).containsEntry("experimental_gemini_cli_vertex_compat", true);
    ProviderConfig vertex = config.providers().get("vertex");
    assertThat(vertex.apiKey().isKeyfile()).isTrue();
    assertThat(vertex.apiKey().revealKeyfile()).contains("service_account");
    assertThat(vertex.toString()).doesNotContain(keyfile);
    assertThat(config.redactor().redact("leaked " + vertex.apiKey().revealKeyfile())).isEqualTo("leaked <redacted>");
    ProviderConfig.CostMapping mapping = config.providers().get("bedrock").costMappingFor(
        "anthropic.claude-sonnet-4-5");
    assertThat(mapping.as()).isEqualTo("claude-sonnet-4-5");
    assertThat(mapping.adjustment()).isEqualByComparingTo("1.1");
    assertThat(config.providers().get("openai").compatibility())
        .isEqualTo(Set.of(ApiFormat.OPENAI_CHAT, ApiFormat.OPENAI_RESPONSES));
  }

  /** tailscale.com/docs/aperture/model-aliases: an exact-match alias resolves before grants see it. */
  @Test
  void modelAliasResolvesToItsFirstDestination() {
    ApertureConfig config = strict("""
        {
          "providers": {
            "openrouter": {"baseurl": "https://openrouter.ai/api/", "apikey": "${KEY}",
                           "models": ["qwen/qwen3-235b-a22b-2507", "x-ai/grok-code-fast-1"]}
          },
          "model_aliases": {
            "models": {
              "writing-assistant": {"dst": ["openrouter/qwen/qwen3-235b-a22b-2507",
                                            "openrouter/x-ai/grok-code-fast-1"]}
            }
          },
          "grants": [{"src": ["*"], "app": {"tailscale.com/cap/aperture": [
            {"role": "user"}, {"models": "openrouter/qwen/*"}]}}]
        }
        """);

    String destination = config.modelAliases().resolve("writing-assistant");
    assertThat(destination).isEqualTo("openrouter/qwen/qwen3-235b-a22b-2507");
    assertThat(config.modelAliases().resolve("Writing-Assistant")).isNull();
    assertThat(new Decisions(config).allowed(ALICE, destination)).isTrue();
  }

  /** tailscale.com/docs/aperture/model-aliases: an unknown strategy or destination is only a warning. */
  @Test
  void aliasProblemsAreWarnings() {
    ApertureConfig config = ApertureConfig.parse("""
        {
          "providers": {"openrouter": {"baseurl": "https://openrouter.ai/api/", "apikey": "k",
                                       "models": ["qwen/qwen3-235b-a22b-2507"]}},
          "model_aliases": {"strategy": "round-robin-ish", "models": {
            "fast": {"dst": ["bedrock/claude", "openrouter/qwen/qwen3-235b-a22b-2507"]}}}
        }
        """);

    assertThat(config.warnings()).containsExactly(
        "model_aliases.strategy (line 4): unknown strategy \"round-robin-ish\"; the SDK knows first and uses "
            + "the first dst entry",
        "model_aliases.models.fast.dst[0] (line 5): destination \"bedrock/claude\" names provider "
            + "\"bedrock\", which is not configured");
    assertThat(config.modelAliases().resolve("fast")).isEqualTo("bedrock/claude");
  }
}
