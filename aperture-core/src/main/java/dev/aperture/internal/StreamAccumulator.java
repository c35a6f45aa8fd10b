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

  private @Nullable String generationId;

  public void generationId(@Nullable String generationId) {
    this.generationId = generationId;
  }

  public ChatResponse build() {
    List<Choice> result = new ArrayList<>(choices.size());
    for (Map.Entry<Integer, ChoiceState> entry : choices.entrySet()) {
      result.add(entry.getValue().build(entry.getKey()));
    }
    return new ChatResponse(id, model, providerId, servedBy, created, result, usage, generationId,
        Map.of());
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
      Message message = new Message(role != null ? role : Role.ASSISTANT, text, List.of(), null, calls,
          null, sawReasoning ? reasoning.toString() : null, Map.of());
      return new Choice(index, message, finishReason, nativeFinishReason, Map.of());
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
      return new ToolCall(id != null ? id : "", type != null ? type : "function",
          name != null ? name : "", arguments.toString(), extra != null ? extra : Map.of());
    }
  }
}
