package dev.aperture.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Resolves the model to the routes the caller may use, with the access decision that governs the call
 * (quotas, hooks, headers), and checks every other request field that selects a model. Never does I/O.
 */
final class RouteStage implements Stage {
  private final RealRouter router;

  RouteStage(RealRouter router) {
    this.router = router;
  }

  @Override
  public CompletableFuture<Outcome> intercept(RealChain chain) {
    RealCall call = chain.call;
    RealRouter.Resolution resolution = router.resolve(call.caller(), chain.model(), call.format());
    if (chain.chat != null) router.checkModelSelectingParameters(call.caller(), chain.chat, resolution.routes());
    call.routes = resolution.routes();
    call.decision = resolution.decision();
    call.listener.routeChosen(call, resolution.routes(), resolution.decision());
    return chain.proceed();
  }

  @Override
  public String toString() {
    return "RouteStage";
  }
}
