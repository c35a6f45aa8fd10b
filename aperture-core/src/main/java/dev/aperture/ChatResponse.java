package dev.aperture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A completed chat call. Immutable; providers build one with {@link #builder()}, and
 * {@link #newBuilder()} makes a changed copy. {@link #toString()} names ids and counts, never the text.
 */
public final class ChatResponse {
  private final String id;
  private final String model;
  private final String provider;
  private final @Nullable String servedBy;
  private final long created;
  private final List<Choice> choices;
  private final @Nullable Usage usage;
  private final @Nullable String generationId;
  private final Map<String, @Nullable Object> extra;

  private ChatResponse(Builder builder) {
    this.id = Objects.requireNonNull(builder.id, "id == null");
    this.model = Objects.requireNonNull(builder.model, "model == null");
    this.provider = Objects.requireNonNull(builder.provider, "provider == null");
    this.servedBy = builder.servedBy;
    this.created = builder.created;
    this.choices = List.copyOf(builder.choices);
    this.usage = builder.usage;
    this.generationId = builder.generationId;
    this.extra = JsonValues.copyOfObject(builder.extra, "response");
  }

  private ChatResponse(ChatResponse source, String provider) {
    this.id = source.id;
    this.model = source.model;
    this.provider = provider;
    this.servedBy = source.servedBy;
    this.created = source.created;
    this.choices = source.choices;
    this.usage = source.usage;
    this.generationId = source.generationId;
    this.extra = source.extra;
  }

  /** A builder with no id, model or provider yet (all three are required), no choices and no usage. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this response's values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** The completion id ({@code gen-...} on OpenRouter). */
  public String id() {
    return id;
  }

  /** The model that actually answered; may differ from the one asked for when fallbacks ran. */
  public String model() {
    return model;
  }

  /** The id of the configured provider that served the call, such as {@code openrouter}. */
  public String provider() {
    return provider;
  }

  /**
   * The upstream that served it as the provider reports it (OpenRouter's {@code provider} field, such as
   * {@code Alibaba}), or null.
   */
  public @Nullable String servedBy() {
    return servedBy;
  }

  /** Seconds since the epoch, as the provider reported; 0 if absent. */
  public long created() {
    return created;
  }

  /** The choices, usually one. */
  public List<Choice> choices() {
    return choices;
  }

  /** Token counts and cost, or null if the provider did not report them. */
  public @Nullable Usage usage() {
    return usage;
  }

  /** The {@code X-Generation-Id} header (or equivalent), or null. */
  public @Nullable String generationId() {
    return generationId;
  }

  /** Every other top-level field of the response, as JSON-like values. */
  public Map<String, @Nullable Object> extra() {
    return extra;
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
    Objects.requireNonNull(provider, "provider == null");
    if (provider.equals(this.provider)) return this;
    return new ChatResponse(this, provider); // Everything else is immutable already: share it.
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ChatResponse that
        && id.equals(that.id)
        && model.equals(that.model)
        && provider.equals(that.provider)
        && Objects.equals(servedBy, that.servedBy)
        && created == that.created
        && choices.equals(that.choices)
        && Objects.equals(usage, that.usage)
        && Objects.equals(generationId, that.generationId)
        && extra.equals(that.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, model, provider, servedBy, created, choices, usage, generationId, extra);
  }

  /** Names the ids and counts, never the text. */
  @Override
  public String toString() {
    return "ChatResponse{id=" + id + ", model=" + model + ", provider=" + provider
        + (servedBy != null ? ", servedBy=" + servedBy : "")
        + ", choices=" + choices.size() + ", finishReason=" + finishReason() + ", usage=" + usage + "}";
  }

  /** Builds a {@link ChatResponse}. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable String model;
    private @Nullable String provider;
    private @Nullable String servedBy;
    private long created;
    private final List<Choice> choices = new ArrayList<>();
    private @Nullable Usage usage;
    private @Nullable String generationId;
    private Map<String, ? extends @Nullable Object> extra = Map.of();

    Builder() {
    }

    Builder(ChatResponse response) {
      this.id = response.id;
      this.model = response.model;
      this.provider = response.provider;
      this.servedBy = response.servedBy;
      this.created = response.created;
      this.choices.addAll(response.choices);
      this.usage = response.usage;
      this.generationId = response.generationId;
      this.extra = response.extra;
    }

    /** Sets the completion id (required). */
    public Builder id(String id) {
      this.id = Objects.requireNonNull(id, "id == null");
      return this;
    }

    /** Sets the model that answered (required). */
    public Builder model(String model) {
      this.model = Objects.requireNonNull(model, "model == null");
      return this;
    }

    /** Sets the id of the configured provider that served the call (required). */
    public Builder provider(String provider) {
      this.provider = Objects.requireNonNull(provider, "provider == null");
      return this;
    }

    /** Sets the upstream that served it, or null. */
    public Builder servedBy(@Nullable String servedBy) {
      this.servedBy = servedBy;
      return this;
    }

    /** Sets the creation time in seconds since the epoch; default 0. */
    public Builder created(long created) {
      this.created = created;
      return this;
    }

    /** Replaces the choices. */
    public Builder choices(List<Choice> choices) {
      this.choices.clear();
      for (Choice choice : choices) addChoice(choice);
      return this;
    }

    /** Appends a choice. */
    public Builder addChoice(Choice choice) {
      choices.add(Objects.requireNonNull(choice, "choice == null"));
      return this;
    }

    /** Sets the usage, or null. */
    public Builder usage(@Nullable Usage usage) {
      this.usage = usage;
      return this;
    }

    /** Sets the generation id, or null. */
    public Builder generationId(@Nullable String generationId) {
      this.generationId = generationId;
      return this;
    }

    /** Sets the other top-level fields, as JSON-like values (copied). */
    public Builder extra(Map<String, ? extends @Nullable Object> extra) {
      this.extra = Objects.requireNonNull(extra, "extra == null");
      return this;
    }

    /** Builds the response; throws if the id, model or provider is missing. */
    public ChatResponse build() {
      return new ChatResponse(this);
    }
  }
}
