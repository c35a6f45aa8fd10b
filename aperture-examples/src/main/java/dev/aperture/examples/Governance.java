package dev.aperture.examples;

import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.GuardrailResponse;
import dev.aperture.HookBlockedException;
import dev.aperture.HookOptions;
import dev.aperture.Money;
import dev.aperture.QuotaBalance;
import dev.aperture.QuotaExceededException;
import dev.aperture.Router;
import dev.aperture.examples.internal.Demo;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Governance as Aperture does it, in-process: a per-user daily budget ({@code quotas}) and a guardrail
 * ({@code send_hooks} to a {@code pre_request} hook) from {@code governance.hujson}. alice's calls are
 * charged until her bucket runs out; a prompt with a private key is blocked before any provider is
 * called. Offline unless {@code OPENROUTER_API_KEY} is set.
 */
public final class Governance {
  static final String CONFIG_FILE = "governance.hujson";
  static final String MODEL = "qwen/qwen3-235b-a22b-2507";

  private Governance() {
  }

  public static void main(String[] args) {
    try (Demo demo = Demo.start(configPath(), System::getenv, System.out)) {
      run(demo, System.out);
    }
  }

  /** {@code governance.hujson} in the working directory if there, else in {@code aperture-examples/}. */
  static Path configPath() {
    Path here = Path.of(CONFIG_FILE);
    return Files.isRegularFile(here) ? here : Path.of("aperture-examples", CONFIG_FILE);
  }

  public static void run(Demo demo, PrintStream out) {
    try (Router router = Router.builder()
        .config(demo.config())
        .addProviderFactory(new OpenRouterProviderFactory())
        // The guardrail: the same contract as an Aperture webhook (HookCallData in, GuardrailResponse out).
        .addHook("no-secrets", HookOptions.builder().failClosed(true).build(), data ->
            String.valueOf(data.json().get("user_message")).contains("BEGIN PRIVATE KEY")
                ? GuardrailResponse.block(422, "prompts must not contain private keys")
                : GuardrailResponse.allow())
        .build()) {
      Caller alice = Caller.of("alice@example.com");

      try {
        router.chat(alice, ChatRequest.of(MODEL, "Check this: -----BEGIN PRIVATE KEY----- MIIEvQ..."));
      } catch (HookBlockedException e) {
        out.println("Guardrail: " + e.hook() + " blocked the call with " + e.statusCode() + " ("
            + e.hookMessage() + "); no provider was called");
      }

      for (int call = 1; call <= 10; call++) {
        try {
          router.chat(alice, ChatRequest.builder().model(MODEL).user("Call " + call + ": hello!").maxTokens(50).build());
          QuotaBalance daily = router.quotas(alice).get(0);
          out.println("Call " + call + ": answered; " + daily.bucket().name() + " has "
              + Money.format(daily.balanceNanos()) + " of " + Money.format(daily.bucket().capacityNanos()) + " left");
        } catch (QuotaExceededException e) {
          out.println("Call " + call + ": refused by quota " + e.bucket() + "; retry in "
              + e.retryAfter().toMinutes() + " min (a gateway answers 429 with Retry-After)");
          break;
        }
      }
    }
  }
}
