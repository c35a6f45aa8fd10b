package dev.aperture;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A completed chat call.
 *
 * @param id the completion id ({@code gen-...} on OpenRouter)
 * @param model the model that actually answered; may differ from the one asked for when fallbacks ran
 * @param provider the id of the configured provider that served the call, such as {@code openrouter}
 * @param servedBy the upstream that served it as the provider reports it (OpenRouter's {@code provider}
 *     field, such as {@code Alibaba}), or null
 * @param created seconds since the epoch, as the provider reported; 0 if absent
 * @param generationId the {@code X-Generation-Id} header (or equivalent), or null
 * @param extra every other top-level field of the response, as JSON-like values
 */
public record ChatResponse(
    String id,
    String model,
    String provider,
    @Nullable String servedBy,
    long created,
    List<Choice> choices,
    @Nullable Usage usage,
    @Nullable String generationId,
    Map<String, @Nullable Object> extra) {

  public ChatResponse {
    Objects.requireNonNull(id, "id == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(provider, "provider == null");
    choices = List.copyOf(choices);
    extra = JsonValues.copyOfObject(extra, "response");
  }

  /** The first choice's text, or empty if there is none. */
  public String text() {
    return choices.isEmpty() ? "" : choices.get(0).message().text();
  }

  /** The first choice's tool calls, or empty. */
  public List<ToolCall> toolCalls() {
    return choices.isEmpty() ? List.of() : choices.get(0).message().toolCalls();
  }

  /** The first choice's finish reason, or null. */
  public @Nullable FinishReason finishReason() {
    return choices.isEmpty() ? null : choices.get(0).finishReason();
  }

  /** A copy naming {@code provider} as the configured provider that served it. */
  public ChatResponse withProvider(String provider) {
    if (provider.equals(this.provider)) return this;
    return new ChatResponse(id, model, provider, servedBy, created, choices, usage, generationId, extra);
  }

  /** Names the ids and counts, never the text. */
  @Override
  public String toString() {
    return "ChatResponse{id=" + id + ", model=" + model + ", provider=" + provider
        + (servedBy != null ? ", servedBy=" + servedBy : "")
        + ", choices=" + choices.size() + ", finishReason=" + finishReason() + ", usage=" + usage + "}";
  }
}
