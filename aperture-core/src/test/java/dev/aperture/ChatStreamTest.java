package dev.aperture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatStreamTest {
  private final FakeProvider provider = new FakeProvider("openrouter");
  private final Router router = Router.builder().addProvider(provider, List.of("vendor/model")).build();

  private ChatStream start() {
    return router.stream(ChatRequest.of("vendor/model", "hi"));
  }

  @Test
  void deliversChunksInOrderAndAccumulatesTheResponse() {
    List<String> pieces = new ArrayList<>();
    try (ChatStream stream = start()) {
      for (ChatChunk chunk : stream) pieces.add(chunk.text());
      assertThat(pieces).containsExactly("Hel", "lo");
      ChatResponse response = stream.response();
      assertThat(response.text()).isEqualTo("Hello");
      assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(response.provider()).isEqualTo("openrouter");
      assertThat(response.servedBy()).isEqualTo("FakeUpstream");
    }
  }

  @Test
  void joinsToolCallArgumentPiecesByIndex() {
    provider.streamScript = List.of(
        toolChunk(ChatChunk.ToolCallDelta.builder().index(0).id("call_1").type("function")
            .name("get_weather").arguments("").build()),
        toolChunk(ChatChunk.ToolCallDelta.builder().index(1).id("call_2").type("function")
            .name("get_time").arguments("{\"tz\"").build()),
        toolChunk(ChatChunk.ToolCallDelta.builder().index(0).arguments("{\"city\":").build()),
        toolChunk(ChatChunk.ToolCallDelta.builder().index(0).arguments("\"Paris\"}").build()),
        toolChunk(ChatChunk.ToolCallDelta.builder().index(1).arguments(":\"UTC\"}").build()),
        ChatChunk.builder().id("gen-s").model("vendor/model").created(1L)
            .addChoice(ChatChunk.Choice.builder().finishReason(FinishReason.TOOL_CALLS)
                .nativeFinishReason("tool_calls").build())
            .build());

    try (ChatStream stream = start()) {
      ChatResponse response = stream.response();
      assertThat(response.toolCalls()).containsExactly(
          ToolCall.function("call_1", "get_weather", "{\"city\":\"Paris\"}"),
          ToolCall.function("call_2", "get_time", "{\"tz\":\"UTC\"}"));
      assertThat(response.choices().get(0).message().content()).isNull();
      assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }
  }

  @Test
  void toolCallPiecesCarryTheirUnknownFieldsIntoTheAccumulatedCall() {
    provider.streamScript = List.of(
        toolChunk(ChatChunk.ToolCallDelta.builder().index(0).id("call_1").type("function").name("f")
            .arguments("{}").extra(Map.of("extra_content", Map.of("sig", "s=="))).build()),
        FakeProvider.chunk("", FinishReason.TOOL_CALLS));

    try (ChatStream stream = start()) {
      assertThat(stream.response().toolCalls().get(0).extra())
          .containsEntry("extra_content", Map.of("sig", "s=="));
    }
  }

  @Test
  void foldsTheUsageOnlyFinalChunkIntoTheResponse() {
    Usage usage = Usage.builder().promptTokens(7).completionTokens(6).totalTokens(13)
        .cost(new BigDecimal("0.0000689")).build();
    provider.streamScript = List.of(FakeProvider.chunk("Hi", FinishReason.STOP),
        ChatChunk.builder().id("gen-s").model("vendor/model").created(1L).usage(usage).build());

    try (ChatStream stream = start()) {
      assertThat(stream.response().usage()).isEqualTo(usage);
      assertThat(stream.response().text()).isEqualTo("Hi");
    }
  }

  @Test
  void streamThatEndsWithoutDoneOrFinishReasonIsAStreamErrorWithThePartialText() {
    provider.streamScript = List.of(FakeProvider.chunk("Once upon", null), FakeProvider.chunk(" a time", null));
    provider.streamSendsDone = false;

    try (ChatStream stream = start()) {
      List<String> seen = new ArrayList<>();
      assertThatThrownBy(() -> stream.forEach(chunk -> seen.add(chunk.text())))
          .isInstanceOfSatisfying(StreamException.class, e -> {
            assertThat(e.partialText()).isEqualTo("Once upon a time");
            assertThat(e.getMessage()).contains("without [DONE] or a finish reason");
          });
      assertThat(seen).containsExactly("Once upon", " a time");
      assertThat(provider.cancels).hasValue(1);
    }
  }

  @Test
  void streamWithAFinishReasonButNoEndMarkerEndsNormally() {
    provider.streamSendsDone = false;

    try (ChatStream stream = start()) {
      assertThat(stream.response().text()).isEqualTo("Hello");
    }
  }

  @Test
  void inBandErrorFromTheProviderIsAStreamErrorWithThePartialText() {
    provider.streamScript = List.of(FakeProvider.chunk("The answer is", null),
        ProviderException.builder("openrouter").message("Provider disconnected unexpectedly")
            .errorCode("server_error").build());

    try (ChatStream stream = start()) {
      assertThatThrownBy(stream::response).isInstanceOfSatisfying(StreamException.class, e -> {
        assertThat(e.getMessage()).isEqualTo("Provider disconnected unexpectedly");
        assertThat(e.errorCode()).isEqualTo("server_error");
        assertThat(e.partialText()).isEqualTo("The answer is");
        assertThat(e.providerId()).isEqualTo("openrouter");
      });
      // The failure is sticky: asking again gives the same error, not a silent end.
      assertThatThrownBy(stream::response).isInstanceOf(StreamException.class);
    }
  }

  @Test
  void finishReasonErrorWithoutAnErrorObjectIsStillAStreamError() {
    provider.streamScript = List.of(FakeProvider.chunk("partial", null),
        FakeProvider.chunk("", FinishReason.ERROR));

    try (ChatStream stream = start()) {
      assertThatThrownBy(stream::response).isInstanceOfSatisfying(StreamException.class,
          e -> assertThat(e.partialText()).isEqualTo("partial"));
    }
  }

  @Test
  void readFailureMidStreamIsAStreamErrorWithTheCause() {
    provider.streamScript = List.of(FakeProvider.chunk("abc", null), new IOException("connection reset"));

    try (ChatStream stream = start()) {
      assertThatThrownBy(stream::response).isInstanceOfSatisfying(StreamException.class, e -> {
        assertThat(e.partialText()).isEqualTo("abc");
        assertThat(e).hasRootCauseMessage("connection reset");
      });
    }
  }

  @Test
  void closingEarlyCancelsTheSourceOnceAndEndsIteration() {
    provider.streamScript = List.of(FakeProvider.chunk("a", null), FakeProvider.chunk("b", null),
        FakeProvider.chunk("c", FinishReason.STOP));
    ChatStream stream = start();
    var chunks = stream.iterator();
    assertThat(chunks.next().text()).isEqualTo("a");

    stream.close();
    stream.close();

    assertThat(provider.cancels).hasValue(1);
    assertThat(chunks.hasNext()).isFalse();
    assertThat(stream.hasDelivered()).isTrue();
  }

  @Test
  void iteratingTwiceIsRefused() {
    try (ChatStream stream = start()) {
      stream.iterator();
      assertThatThrownBy(stream::iterator).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void partialResponseShowsProgressWithoutReadingFurther() {
    try (ChatStream stream = start()) {
      var chunks = stream.iterator();
      chunks.next();
      assertThat(stream.partialResponse().text()).isEqualTo("Hel");
    }
  }

  private static ChatChunk toolChunk(ChatChunk.ToolCallDelta delta) {
    return ChatChunk.builder().id("gen-s").model("vendor/model").created(1L)
        .addChoice(ChatChunk.Choice.of(0,
            ChatChunk.Delta.builder().role(Role.ASSISTANT).addToolCall(delta).build(), null))
        .build();
  }
}
