package dev.aperture.examples;

import dev.aperture.AccessDeniedException;
import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ModelInfo;
import dev.aperture.Router;
import dev.aperture.examples.internal.Demo;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.PrintStream;
import java.util.List;

/**
 * Grants: the configuration gives everyone the Qwen models and gives the eng group and alice every
 * OpenRouter model. Each caller sees only what it may use, and a call to anything else is refused before
 * any network I/O.
 */
public final class AccessControl {
  static final String RESTRICTED_MODEL = "x-ai/grok-code-fast-1";

  private AccessControl() {
  }

  public static void main(String[] args) {
    try (Demo demo = Demo.start(System.out)) {
      run(demo, System.out);
    }
  }

  public static void run(Demo demo, PrintStream out) {
    Router router = Router.builder()
        .config(demo.config())
        .addProviderFactory(new OpenRouterProviderFactory())
        .build();
    List<Caller> callers = List.of(
        Caller.of("alice@example.com"),               // named in a grant
        Caller.of("bob@example.com").withGroups("eng"), // in group:eng
        Caller.of("mallory@example.com"),              // only the "*" grant applies
        Caller.anonymous());                           // likewise
    for (Caller caller : callers) {
      String who = caller.isAnonymous() ? "anonymous" : caller.login()
          + (caller.groups().isEmpty() ? "" : " " + caller.groups());
      List<String> models = router.models(caller).stream().map(ModelInfo::id).toList();
      out.println(who + " may use " + models);
      ChatRequest request = ChatRequest.builder().model(RESTRICTED_MODEL).user("Reply with OK.").build();
      try {
        ChatResponse response = router.chat(caller, request);
        out.println("  " + RESTRICTED_MODEL + ": allowed, answered by " + response.provider());
      } catch (AccessDeniedException e) {
        // A gateway facing clients should answer "not found" here, as Aperture does.
        out.println("  " + RESTRICTED_MODEL + ": denied (" + e.getMessage() + ")");
      }
    }
  }
}
