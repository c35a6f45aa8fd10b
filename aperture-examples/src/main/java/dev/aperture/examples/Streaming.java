package dev.aperture.examples;

import dev.aperture.Caller;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Router;
import dev.aperture.StreamException;
import dev.aperture.examples.internal.Demo;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.PrintStream;

/**
 * Streaming: print text as it arrives, then read the accumulated response (finish reason, usage and
 * cost from the usage-only final chunk); stop a second stream early, which cancels the upstream call; and
 * keep what arrived when a stream fails midway.
 */
public final class Streaming {
  private Streaming() {
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
        .defaultCaller(Caller.of("alice@example.com"))
        .build();
    ChatRequest request = ChatRequest.builder()
        .model("google/gemini-2.5-pro-preview")
        .user("Write a haiku about routing packets.")
        .build();

    // Always close a stream: try-with-resources.
    try (ChatStream stream = router.stream(request)) {
      int chunks = 0;
      for (ChatChunk chunk : stream) {
        chunks++;
        out.print(chunk.text());
        out.flush();
      }
      ChatResponse response = stream.response(); // Everything, accumulated.
      out.println();
      out.println(chunks + " chunks from " + stream.provider() + "; finish reason " + response.finishReason()
          + "; " + QuickStart.describe(response.usage()));
    } catch (StreamException e) {
      // The stream broke after it started: what arrived so far is kept.
      out.println();
      out.println("stream failed: " + e.getMessage() + "; received so far: " + e.partialText());
    }

    // Closing early cancels the call (OpenRouter stops billing for most upstreams).
    try (ChatStream stream = router.stream(request)) {
      for (ChatChunk chunk : stream) {
        if (!chunk.text().isEmpty()) {
          out.println("first piece: \"" + chunk.text() + "\"; closing the stream early");
          break;
        }
      }
    }
  }
}
