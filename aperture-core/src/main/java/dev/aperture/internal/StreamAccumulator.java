package dev.aperture.internal;

import dev.aperture.ChatChunk;
import dev.aperture.ChatResponse;
import dev.aperture.Choice;
import dev.aperture.FinishReason;
import dev.aperture.Message;
import dev.aperture.Role;
import dev.aperture.ToolCall;
import dev.aperture.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Folds streamed chunks into one {@link ChatResponse}: text and reasoning appended per choice, tool-call
 * pieces joined by index, and the usage of the (often choice-less) final chunk kept.
 */
public final class StreamAccumulator {
  private final String providerId;
  private String id = "";
  private String model = "";
  private @Nullable String servedBy;
  private long created;
  private @Nullable Usage usage;
  private final TreeMap<Integer, ChoiceState> choices = new TreeMap<>();

  public StreamAccumulator(String providerId) {
    this.providerId = providerId;
  }

  public void add(ChatChunk chunk) {
    if (id.isEmpty()) id = chunk.id();
    if (!chunk.model().isEmpty()) model = chunk.model();
    if (chunk.servedBy() != null) servedBy = chunk.servedBy();
    if (created == 0) created = chunk.created();
    if (chunk.usage() != null) usage = chunk.usage();
    for (ChatChunk.Choice choice : chunk.choices()) {
      choices.computeIfAbsent(choice.index(), i -> new ChoiceState()).add(choice);
    }
  }

  /** True if any choice has received a finish reason. */
  public boolean hasFinishReason() {
    for (ChoiceState state : choices.values()) {
      if (state.finishReason != null) return true;
    }
    return false;
  }

  private Supplier<@Nullable String> generationId = () -> null;

  /**
   * Where the generation id comes from: asked when the response is built, since a provider may learn it
   * only from the first chunk (OpenRouter's chunk {@code id} when the header is missing).
   */
  public void generationId(Supplier<@Nullable String> generationId) {
    this.generationId = generationId;
  }

  public ChatResponse build() {
    List<Choice> result = new ArrayList<>(choices.size());
    for (Map.Entry<Integer, ChoiceState> entry : choices.entrySet()) {
      result.add(entry.getValue().build(entry.getKey()));
    }
    return ChatResponse.builder()
        .id(id)
        .model(model)
        .provider(providerId)
        .servedBy(servedBy)
        .created(created)
        .choices(result)
        .usage(usage)
        .generationId(generationId.get())
        .build();
  }

  private static final class ChoiceState {
    @Nullable Role role;
    final StringBuilder content = new StringBuilder();
    boolean sawContent;
    final StringBuilder reasoning = new StringBuilder();
    boolean sawReasoning;
    final TreeMap<Integer, ToolCallState> toolCalls = new TreeMap<>();
    @Nullable FinishReason finishReason;
    @Nullable String nativeFinishReason;

    void add(ChatChunk.Choice choice) {
      ChatChunk.Delta delta = choice.delta();
      if (delta.role() != null) role = delta.role();
      if (delta.content() != null) {
        content.append(delta.content());
        sawContent = true;
      }
      if (delta.reasoning() != null) {
        reasoning.append(delta.reasoning());
        sawReasoning = true;
      }
      for (ChatChunk.ToolCallDelta piece : delta.toolCalls()) {
        toolCalls.computeIfAbsent(piece.index(), i -> new ToolCallState()).add(piece);
      }
      if (choice.finishReason() != null) finishReason = choice.finishReason();
      if (choice.nativeFinishReason() != null) nativeFinishReason = choice.nativeFinishReason();
    }

    Choice build(int index) {
      List<ToolCall> calls = new ArrayList<>(toolCalls.size());
      for (ToolCallState call : toolCalls.values()) calls.add(call.build());
      // An assistant turn that only called tools has no content, as in a non-streamed response.
      String text = sawContent && (content.length() > 0 || calls.isEmpty()) ? content.toString()
          : calls.isEmpty() ? "" : null;
      Message message = Message.builder(role != null ? role : Role.ASSISTANT)
          .content(text)
          .toolCalls(calls)
          .reasoning(sawReasoning ? reasoning.toString() : null)
          .build();
      return Choice.builder()
          .index(index)
          .message(message)
          .finishReason(finishReason)
          .nativeFinishReason(nativeFinishReason)
          .build();
    }
  }

  private static final class ToolCallState {
    @Nullable String id;
    @Nullable String type;
    @Nullable String name;
    final StringBuilder arguments = new StringBuilder();
    @Nullable Map<String, @Nullable Object> extra;

    void add(ChatChunk.ToolCallDelta piece) {
      if (!piece.extra().isEmpty()) {
        if (extra == null) extra = new java.util.LinkedHashMap<>();
        extra.putAll(piece.extra());
      }
      if (piece.id() != null && !piece.id().isEmpty()) id = piece.id();
      if (piece.type() != null) type = piece.type();
      if (piece.name() != null && !piece.name().isEmpty()) name = piece.name();
      if (piece.arguments() != null) arguments.append(piece.arguments());
    }

    ToolCall build() {
      return ToolCall.builder()
          .id(id != null ? id : "")
          .type(type != null ? type : "function")
          .name(name != null ? name : "")
          .arguments(arguments.toString())
          .extra(extra != null ? extra : Map.of())
          .build();
    }
  }
}
