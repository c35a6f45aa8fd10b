package dev.aperture.internal;

import dev.aperture.Call;
import dev.aperture.EventListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The Router's call pipeline, in OkHttp's {@code RealCall} shape: the list of stages every call runs, and
 * what they share (clock, deadline default, listeners, the timer for deadlines). The order:
 *
 * <ol>
 *   <li>application interceptors,
 *   <li>{@link AliasStage}: {@code model_aliases},
 *   <li>{@link RouteStage}: routes and the caller's access decision,
 *   <li>the governance stages (hooks, then quotas), when configured,
 *   <li>{@link FailoverStage}: across routes, with cooldowns,
 *   <li>{@link RetryStage}: within one route, under the call's deadline,
 *   <li>route interceptors,
 *   <li>{@link ProviderStage}: one attempt on one provider.
 * </ol>
 */
final class Pipeline {
  final List<Stage> stages;
  final Clock clock;
  final @Nullable Duration callTimeout;
  /** True when some stage is synchronous by nature (interceptors), so an async call runs on {@link #executor}. */
  final boolean blockingOnly;
  /**
   * Runs the blocking parts of asynchronous calls (interceptors, pre_request hooks): the Router's own
   * daemon threads, never the JVM's common pool, which other code relies on; shut down with the Router.
   */
  final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "aperture-call");
    thread.setDaemon(true);
    return thread;
  });
  private final List<EventListener.Factory> listenerFactories;
  private volatile @Nullable ScheduledExecutorService scheduler;

  Pipeline(List<Stage> stages, Clock clock, @Nullable Duration callTimeout, boolean blockingOnly,
      List<EventListener.Factory> listenerFactories) {
    this.stages = List.copyOf(stages);
    this.clock = clock;
    this.callTimeout = callTimeout;
    this.blockingOnly = blockingOnly;
    this.listenerFactories = List.copyOf(listenerFactories);
  }

  EventListener listenerFor(Call call) {
    if (listenerFactories.isEmpty()) return EventListener.NONE;
    if (listenerFactories.size() == 1) return listenerFactories.get(0).create(call);
    List<EventListener> listeners = new ArrayList<>(listenerFactories.size());
    for (EventListener.Factory factory : listenerFactories) listeners.add(factory.create(call));
    return new CompositeEventListener(listeners);
  }

  /** A daemon timer for deadlines, created on first use: a Router without deadlines starts no thread. */
  ScheduledExecutorService scheduler() {
    ScheduledExecutorService result = scheduler;
    if (result == null) {
      synchronized (this) {
        result = scheduler;
        if (result == null) {
          ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "aperture-deadlines");
            thread.setDaemon(true);
            return thread;
          });
          executor.setRemoveOnCancelPolicy(true);
          scheduler = result = executor;
        }
      }
    }
    return result;
  }

  void shutdown() {
    executor.shutdown();
    ScheduledExecutorService result = scheduler;
    if (result != null) result.shutdown(); // pending cost lookups are dropped; their reservations expire
  }
}
