package dev.aperture;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One choice of a {@link ChatResponse}. Immutable; build one with {@link #builder()} or {@link #of}, change
 * a copy with {@link #newBuilder()}.
 */
public final class Choice {
  private final int index;
  private final Message message;
  private final @Nullable FinishReason finishReason;
  private final @Nullable String nativeFinishReason;
  private final Map<String, @Nullable Object> extra;

  private Choice(Builder builder) {
    this.index = builder.index;
    this.message = Objects.requireNonNull(builder.message, "message == null");
    this.finishReason = builder.finishReason;
    this.nativeFinishReason = builder.nativeFinishReason;
    this.extra = JsonValues.copyOfObject(builder.extra, "choice");
  }

  /** Choice {@code index} with {@code message}, stopped for {@code finishReason} (null if unknown). */
  public static Choice of(int index, Message message, @Nullable FinishReason finishReason) {
    return builder().index(index).message(message).finishReason(finishReason).build();
  }

  /** A builder for choice 0 with no message yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this choice's values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** The choice's index, 0 for the first. */
  public int index() {
    return index;
  }

  /** The message of this choice. */
  public Message message() {
    return message;
  }

  /** Why it stopped, an open value; null if the provider did not say. */
  public @Nullable FinishReason finishReason() {
    return finishReason;
  }

  /** The upstream model's own finish reason, as OpenRouter reports it; null if absent. */
  public @Nullable String nativeFinishReason() {
    return nativeFinishReason;
  }

  /** Every other field of the choice (such as {@code logprobs}) as JSON-like values. */
  public Map<String, @Nullable Object> extra() {
    return extra;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Choice that
        && index == that.index
        && message.equals(that.message)
        && Objects.equals(finishReason, that.finishReason)
        && Objects.equals(nativeFinishReason, that.nativeFinishReason)
        && extra.equals(that.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, message, finishReason, nativeFinishReason, extra);
  }

  /** Names the shape, never the text. */
  @Override
  public String toString() {
    return "Choice{index=" + index + ", message=" + message + ", finishReason=" + finishReason + "}";
  }

  /** Builds a {@link Choice}. */
  public static final class Builder {
    private int index;
    private @Nullable Message message;
    private @Nullable FinishReason finishReason;
    private @Nullable String nativeFinishReason;
    private Map<String, ? extends @Nullable Object> extra = Map.of();

    Builder() {
    }

    Builder(Choice choice) {
      this.index = choice.index;
      this.message = choice.message;
      this.finishReason = choice.finishReason;
      this.nativeFinishReason = choice.nativeFinishReason;
      this.extra = choice.extra;
    }

    /** Sets the index; default 0. */
    public Builder index(int index) {
      this.index = index;
      return this;
    }

    /** Sets the message (required). */
    public Builder message(Message message) {
      this.message = Objects.requireNonNull(message, "message == null");
      return this;
    }

    /** Sets the finish reason, or null. */
    public Builder finishReason(@Nullable FinishReason finishReason) {
      this.finishReason = finishReason;
      return this;
    }

    /** Sets the upstream model's own finish reason, or null. */
    public Builder nativeFinishReason(@Nullable String nativeFinishReason) {
      this.nativeFinishReason = nativeFinishReason;
      return this;
    }

    /** Sets the other fields, as JSON-like values (copied). */
    public Builder extra(Map<String, ? extends @Nullable Object> extra) {
      this.extra = Objects.requireNonNull(extra, "extra == null");
      return this;
    }

    /** Builds the choice; throws if the message is missing. */
    public Choice build() {
      return new Choice(this);
    }
  }
}
