package dev.aperture.internal;

import java.util.concurrent.CompletableFuture;

/**
 * One behaviour of the call pipeline (alias, route, hooks, quotas, failover, retry, provider…). The
 * internal twin of {@link dev.aperture.Interceptor}: it returns a future so one pipeline serves blocking
 * and asynchronous calls alike. For a blocking call every future a stage returns is already complete (the
 * provider is called on the caller's thread), so the futures cost an allocation, not a thread hop.
 */
interface Stage {
  CompletableFuture<Outcome> intercept(RealChain chain);
}
