package dev.aperture.examples;

import dev.aperture.ApiFormat;
import dev.aperture.ChatChunk;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.ChatStream;
import dev.aperture.Choice;
import dev.aperture.ChunkSource;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Provider;
import dev.aperture.Router;
import dev.aperture.Usage;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A provider written in application code: {@link Provider} is one small interface. This one answers
 * locally by shouting the question back; a real one would call an in-house model server. The Router
 * handles routing, access policy and stream bookkeeping; the provider only produces answers.
 */
public final class CustomProvider {
  private CustomProvider() {
  }

  /** Upper-cases the last message. Streams one word per chunk. */
  static final class ShoutingProvider implements Provider {
    @Override
    public String id() {
      return "local";
    }

    @Override
    public Set<ApiFormat> apiFormats() {
      return Set.of(ApiFormat.OPENAI_CHAT);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      String answer = shout(request);
      return ChatResponse.builder()
          .id("local-1")
          .model(request.model())
          .provider(id())
          .addChoice(Choice.of(0, Message.assistant(answer), FinishReason.STOP))
          .usage(Usage.of(request.messages().size(), answer.split(" ").length))
          .build();
    }

    @Override
    public ChatStream stream(ChatRequest request) {
      Deque<String> words = new ArrayDeque<>(List.of(shout(request).split("(?<= )")));
      ChunkSource source = new ChunkSource() {
        @Override
        public @Nullable ChatChunk next() {
          if (words.isEmpty()) return null; // The end.
          String word = words.removeFirst();
          FinishReason finish = words.isEmpty() ? FinishReason.STOP : null;
          return ChatChunk.builder()
              .id("local-2")
              .model(request.model())
              .addChoice(ChatChunk.Choice.of(0, ChatChunk.Delta.ofContent(word), finish))
              .build();
        }

        @Override
        public boolean sawEndMarker() {
          return words.isEmpty();
        }

        @Override
        public void cancel() {
          words.clear();
        }
      };
      return ChatStream.of(id(), source); // Accumulation and end-of-stream checks come with it.
    }

    private static String shout(ChatRequest request) {
      List<Message> messages = request.messages();
      return messages.isEmpty() ? "" : messages.get(messages.size() - 1).text().toUpperCase() + "!";
    }
  }

  public static void main(String[] args) {
    run(System.out);
  }

  public static void run(PrintStream out) {
    out.println("Local: this example needs no network; its provider runs in this process.");
    // No configuration and no grants: every caller may use every model. With a configuration the
    // provider's models join the configured ones (and grants apply to "local/...").
    Router router = Router.builder()
        .addProvider(new ShoutingProvider(), List.of("shout-1"))
        .build();

    ChatResponse response = router.chat(ChatRequest.of("shout-1", "hello from a custom provider"));
    out.println("chat   → " + response.provider() + ": " + response.text());

    out.print("stream → ");
    try (ChatStream stream = router.stream(ChatRequest.of("local/shout-1", "streams work too"))) {
      for (ChatChunk chunk : stream) out.print("[" + chunk.text() + "]");
    }
    out.println();
  }
}
