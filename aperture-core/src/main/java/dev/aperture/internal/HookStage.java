package dev.aperture.internal;

import dev.aperture.AccessDecision;
import dev.aperture.AccessDecision.HookBinding;
import dev.aperture.AccessDecision.HookEvent;
import dev.aperture.ChatRequest;
import dev.aperture.ChatResponse;
import dev.aperture.Exchange;
import dev.aperture.Route;
import dev.aperture.internal.hooks.HookBodies;
import dev.aperture.internal.hooks.HookContext;
import dev.aperture.internal.hooks.HookRunner;
import dev.aperture.internal.quota.QuotaGate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The hooks the caller's grants wire to this call ({@code send_hooks}), as Aperture runs them:
 * {@code pre_request} hooks before anything is charged or sent (they may allow, block or replace the
 * body); {@code entire_request} and {@code tool_call_entire_request} after the call completed (a stream:
 * after it ended), queued and never delaying the caller. An asynchronous call runs its {@code pre_request}
 * hooks on the Router's executor, not the caller's thread.
 */
final class HookStage implements Stage {
  private final HookRunner runner;
  private final QuotaGate quotas;
  private final RealRouter router;

  HookStage(HookRunner runner, QuotaGate quotas, RealRouter router) {
    this.runner = runner;
    this.quotas = quotas;
    this.router = router;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    RealCall call = chain.call;
    AccessDecision decision = call.decision;
    if (decision.hooks().isEmpty()) return chain.proceed();
    Collection<HookBinding> bindings = decision.hooks().values();
    if (chain.chat == null) {
      // A guardrail must see what it guards; this SDK's hooks read chat bodies only, so a Responses-API
      // call that a pre_request hook should inspect is refused rather than let through unchecked.
      for (HookBinding binding : bindings) {
        if (binding.events().contains(HookEvent.PRE_REQUEST)) {
          throw new dev.aperture.HookFailedException(binding.name(),
              "pre_request hooks cannot inspect Responses-API calls in this SDK, so the call is refused", null);
        }
      }
      return chain.proceed();
    }
    boolean pre = any(bindings, HookEvent.PRE_REQUEST);
    boolean post = any(bindings, HookEvent.ENTIRE_REQUEST) || any(bindings, HookEvent.TOOL_CALL_ENTIRE_REQUEST);
    if (!pre && !post) return chain.proceed();
    Route route = Objects.requireNonNull(call.routes).get(0);
    ChatRequest request = chain.chatRequest();
    HookContext.Builder context = HookContext.builder().requestId(call.requestId()).caller(call.caller())
        .options(call.options()).model(route.model()).provider(route.providerId())
        .requestBody(HookBodies.requestBody(request, call.isStreaming()))
        .customCapabilities(decision.customCapabilities()).bodyCheck(HookBodies::checkChatRequest);
    if (sends(bindings, "quotas") && !decision.quotaBuckets().isEmpty()) {
      context.quotas(quotas.balances(decision.quotaBuckets()));
    }
    HookContext before = context.build();
    HookRunner.Listener listener = listenerFor(call);
    CompletableFuture<HookRunner.PreRequestResult> preRequest;
    if (!pre) {
      preRequest = CompletableFuture.completedFuture(new HookRunner.PreRequestResult(before.requestBody(), false));
    } else if (call.async) {
      preRequest = CompletableFuture.supplyAsync(() -> runner.preRequest(bindings, before, listener, call::remaining),
          call.pipeline.executor);
    } else {
      preRequest = CompletableFuture.completedFuture(runner.preRequest(bindings, before, listener, call::remaining));
    }
    return preRequest.thenCompose(result -> {
      ChatRequest sent = request;
      if (result.modified()) {
        sent = HookBodies.chatRequest(result.body(), request);
        // A replaced body is checked like the caller's: a fallback list it added is granted or refused.
        router.checkModelSelectingParameters(call.caller(), sent, Objects.requireNonNull(call.routes));
      }
      ChatRequest toSend = sent;
      CompletableFuture<Outcome> outcome = chain.proceed(toSend);
      if (!post) return outcome;
      HookContext after = before.newBuilder().requestBody(result.body()).build();
      boolean raw = sends(bindings, "raw_responses");
      return outcome.thenApply(done -> afterCall(done, bindings, after, listener, raw));
    });
  }

  /** Queues the post-response events: now for a plain call, when the stream has ended for a stream. */
  private Outcome afterCall(Outcome outcome, Collection<HookBinding> bindings, HookContext context,
      HookRunner.Listener listener, boolean raw) {
    Exchange exchange = outcome.requireExchange();
    if (exchange instanceof Exchange.Plain plain) {
      runner.postResponse(bindings, withResponse(context, plain.response(), null), listener);
      return outcome;
    }
    TrackedChatStream stream = TrackedChatStream.of(((Exchange.Streamed) exchange).stream());
    List<@Nullable Object> events = raw ? Collections.synchronizedList(new ArrayList<>()) : null;
    if (events != null) stream.onChunk(chunk -> events.add(HookBodies.chunk(chunk)));
    stream.whenDone(end -> {
      // Aperture fires post-response hooks for completed calls only.
      if (end.response() != null) runner.postResponse(bindings, withResponse(context, end.response(), events), listener);
    });
    return Outcome.of(Exchange.of(stream));
  }

  private static HookContext withResponse(HookContext context, ChatResponse response,
      @Nullable List<@Nullable Object> rawEvents) {
    return context.newBuilder().responseBody(HookBodies.responseBody(response))
        .rawResponses(rawEvents == null ? null : List.copyOf(rawEvents))
        .toolCalls(HookBodies.toolUses(response))
        .estimatedCost(HookContext.Cost.of(RealCall.costNanos(response), context.provider(), response.usage()))
        .build();
  }

  private static HookRunner.Listener listenerFor(RealCall call) {
    return new HookRunner.Listener() {
      @Override
      public void blocked(String hook, int statusCode, String message) {
        call.listener.hookBlocked(call, hook, statusCode, message);
      }

      @Override
      public void failed(dev.aperture.internal.hooks.HookFailure failure) {
        call.listener.hookFailed(call, failure.hook(), failure.failOpen(), failure.toException());
      }
    };
  }

  private static boolean any(Collection<HookBinding> bindings, HookEvent event) {
    for (HookBinding binding : bindings) if (binding.events().contains(event)) return true;
    return false;
  }

  private static boolean sends(Collection<HookBinding> bindings, String field) {
    for (HookBinding binding : bindings) if (binding.send().contains(field)) return true;
    return false;
  }

  @Override
  public String toString() {
    return "HookStage";
  }
}
