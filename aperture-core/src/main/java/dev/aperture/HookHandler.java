package dev.aperture;

/**
 * An in-process hook: the same contract as a webhook hook, without HTTP. Register it on
 * {@link Router.Builder#addHook} under a name; grants' {@code send_hooks} then name it exactly like a hook
 * of the configuration's {@code hooks}, with the same ordering ({@code preference}), failure policy and
 * timeout.
 *
 * <pre>{@code
 * Router.builder().addHook("no-secrets", HookOptions.builder().failClosed(true).build(), data ->
 *     String.valueOf(data.json().get("user_message")).contains("BEGIN PRIVATE KEY")
 *         ? GuardrailResponse.block("no keys in prompts") : GuardrailResponse.allow())
 * }</pre>
 *
 * <p>For {@code entire_request} and {@code tool_call_entire_request} events the answer is ignored.
 * Throwing counts as a hook failure.
 */
@FunctionalInterface
public interface HookHandler {
  GuardrailResponse handle(HookCallData data);
}
