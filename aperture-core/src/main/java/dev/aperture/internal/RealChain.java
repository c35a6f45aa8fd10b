package dev.aperture.internal;

import dev.aperture.ChatRequest;
import dev.aperture.ResponsesRequest;
import dev.aperture.Route;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One position in a call's pipeline: OkHttp's {@code RealInterceptorChain}. Carries the request as it
 * stands at this stage and, below the failover stage, the route and attempt being tried.
 */
final class RealChain {
  final RealCall call;
  private final List<Stage> stages;
  private final int index;
  /** Exactly one of {@code chat} and {@code responses} is set, by the call's format. */
  final @Nullable ChatRequest chat;
  final @Nullable ResponsesRequest responses;
  final @Nullable Route route;
  final int attempt;

  RealChain(RealCall call, List<Stage> stages, int index, @Nullable ChatRequest chat,
      @Nullable ResponsesRequest responses, @Nullable Route route, int attempt) {
    this.call = call;
    this.stages = stages;
    this.index = index;
    this.chat = chat;
    this.responses = responses;
    this.route = route;
    this.attempt = attempt;
  }

  /** The model the request asks for at this stage. */
  String model() {
    return chat != null ? chat.model() : java.util.Objects.requireNonNull(responses).model();
  }

  ChatRequest chatRequest() {
    if (chat == null) throw new IllegalStateException("a Responses-API call has no chat request");
    return chat;
  }

  Route requireRoute() {
    if (route == null) throw new IllegalStateException("no route chosen yet at stage " + index);
    return route;
  }

  /** Runs the next stage with the same request. */
  CompletableFuture<Outcome> proceed() {
    return next(chat, responses, route, attempt);
  }

  /** Runs the next stage with a changed chat request. */
  CompletableFuture<Outcome> proceed(ChatRequest request) {
    return next(request, null, route, attempt);
  }

  /** Runs the next stage with the request asking for {@code model} (an alias resolved). */
  CompletableFuture<Outcome> proceedWithModel(String model) {
    return chat != null ? next(chat.withModel(model), null, route, attempt)
        : next(null, java.util.Objects.requireNonNull(responses).withModel(model), route, attempt);
  }

  /** Runs the next stage on {@code route}, as attempt number {@code attempt}. */
  CompletableFuture<Outcome> proceed(Route route, int attempt) {
    return next(chat, responses, route, attempt);
  }

  private CompletableFuture<Outcome> next(@Nullable ChatRequest chat, @Nullable ResponsesRequest responses,
      @Nullable Route route, int attempt) {
    if (index >= stages.size()) throw new IllegalStateException("no stage left to proceed to");
    RealChain next = new RealChain(call, stages, index + 1, chat, responses, route, attempt);
    try {
      CompletableFuture<Outcome> result = stages.get(index).intercept(next);
      if (result == null) throw new NullPointerException("stage " + stages.get(index) + " returned null");
      return result;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
