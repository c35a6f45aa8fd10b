package dev.aperture.opentelemetry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aperture.Choice;
import dev.aperture.ContentPart;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Role;
import dev.aperture.ToolCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ContentJsonTest {
  @Test
  void contentPartsBecomeTheSchemasTextAndUriPartsAndUnknownPartsKeepOnlyTheirType() {
    Message message = Message.user(List.of(
        ContentPart.text("What is this?"),
        ContentPart.imageUrl("https://example.com/cat.png"),
        new ContentPart("input_audio", Map.of("input_audio", Map.of("data", "AAAA", "format", "wav")))));

    assertThat(ContentJson.inputMessages(List.of(message))).isEqualTo("[{\"role\":\"user\",\"parts\":["
        + "{\"type\":\"text\",\"content\":\"What is this?\"},"
        + "{\"type\":\"uri\",\"modality\":\"image\",\"uri\":\"https://example.com/cat.png\"},"
        + "{\"type\":\"input_audio\"}]}]");
  }

  @Test
  void outputMessagesCarryReasoningToolCallsNamesAndTheSchemasFinishReason() {
    Message answer = Message.builder(Role.ASSISTANT).name("bot")
        .addToolCall(ToolCall.function("call_9", "lookup", "{}")).reasoning("think\tfirst").build();
    Choice choice = Choice.builder().index(0).message(answer).finishReason(FinishReason.TOOL_CALLS)
        .nativeFinishReason("tool_use").build();
    Choice second = Choice.of(1, Message.assistant("Done"), FinishReason.of("max_output"));
    Choice third = Choice.of(2, Message.assistant(""), null);

    assertThat(ContentJson.outputMessages(List.of(choice, second, third))).isEqualTo("["
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"think\\tfirst\"},"
        + "{\"type\":\"tool_call\",\"id\":\"call_9\",\"name\":\"lookup\",\"arguments\":\"{}\"}],"
        + "\"name\":\"bot\",\"finish_reason\":\"tool_call\"},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Done\"}],\"finish_reason\":\"max_output\"},"
        + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"\"}]}]");
  }

  @Test
  void stringsEscapeQuotesBackslashesAndControlCharacters() {
    StringBuilder out = new StringBuilder();
    ContentJson.string(out, "a\"b\\c\u0001d\u2028e\r\n");
    assertThat(out).hasToString("\"a\\\"b\\\\c\\u0001d\\u2028e\\r\\n\"");
  }
}
