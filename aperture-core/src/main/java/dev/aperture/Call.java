package dev.aperture;

import org.jspecify.annotations.Nullable;

/**
 * One call through the {@link Router}, as {@link EventListener}s and hooks see it. Immutable facts about
 * the call; what happens to it is reported through the listener's events.
 */
public interface Call {
  /** A fresh id per call ({@code metadata.request_id} for hooks), or the one {@link CallOptions} gave. */
  String requestId();

  Caller caller();

  CallOptions options();

  /** The model as the caller asked for it (before aliases and routing). */
  String model();

  /** {@link ApiFormat#OPENAI_CHAT} for chat and stream calls, {@link ApiFormat#OPENAI_RESPONSES} for responses. */
  ApiFormat format();

  /** True for {@link Router#stream} calls. */
  boolean isStreaming();

  /** The chat request as the caller sent it; null for a Responses-API call. */
  @Nullable ChatRequest chatRequest();
}
