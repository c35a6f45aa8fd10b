package dev.aperture.examples;

import dev.aperture.Caller;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Message;
import dev.aperture.Router;
import dev.aperture.ToolCall;
import dev.aperture.examples.internal.Demo;
import dev.aperture.openrouter.OpenRouterProviderFactory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full tool-call round trip: the model asks for {@code get_weather}, the application runs it, sends the
 * result back as a {@code tool} message, and the model answers with it.
 */
public final class ToolCalls {
  static final String MODEL = "x-ai/grok-code-fast-1";

  private ToolCalls() {
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
    Caller alice = Caller.of("alice@example.com");

    List<Message> conversation = new ArrayList<>();
    conversation.add(Message.user("What's the weather in Paris right now?"));
    Map<String, Object> schema = Map.of(
        "type", "object",
        "properties", Map.of("city", Map.of("type", "string", "description", "City name, e.g. Paris")),
        "required", List.of("city"));
    ChatRequest.Builder request = ChatRequest.builder()
        .model(MODEL)
        .addFunctionTool("get_weather", "Current weather for a city", schema)
        .toolChoice("auto");

    ChatResponse first = router.chat(alice, request.messages(conversation).build());
    if (first.toolCalls().isEmpty()) {
      out.println("The model answered without calling the tool: " + first.text());
      return;
    }
    // Send back the assistant's tool calls, then one result per call.
    conversation.add(Message.assistant(first.choices().get(0).message().content(), first.toolCalls()));
    for (ToolCall call : first.toolCalls()) {
      out.println("model calls " + call.name() + "(" + call.arguments() + ")");
      String result = getWeather(call.arguments());
      out.println("tool returns " + result);
      conversation.add(Message.tool(call.id(), result));
    }
    ChatResponse answer = router.chat(alice, request.messages(conversation).build());
    out.println("final answer: " + answer.text().strip());
  }

  /** The application's own function; a real one would parse the arguments and call a weather service. */
  static String getWeather(String argumentsJson) {
    Matcher matcher = Pattern.compile("\"city\"\\s*:\\s*\"([^\"]*)\"").matcher(argumentsJson);
    String city = matcher.find() ? matcher.group(1) : "unknown";
    return "{\"city\":\"" + city + "\",\"temperature_c\":18,\"conditions\":\"light rain\"}";
  }
}
