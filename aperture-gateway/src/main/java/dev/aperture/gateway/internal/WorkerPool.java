package dev.aperture.gateway.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run the Router's blocking calls: at most {@code maxThreads}, then at most
 * {@code maxQueued} tasks waiting, then {@link RejectedExecutionException} (the gateway answers 503).
 *
 * <p>Why not a plain {@link ThreadPoolExecutor} with a bounded queue: it starts a new thread for every
 * task until the core size is reached and then hands tasks to idle threads first-in first-out, so a few
 * calls at a time rotate through all (hundreds of) threads with cold caches; measured, that tripled the
 * gateway's p99 at 10 connections. Here an idle thread waits on a {@link SynchronousQueue}, whose
 * unfair mode hands the next task to the most recently idle thread, and new threads start only when none
 * is idle; tasks that find every thread busy wait in a bounded queue that each thread drains after its
 * own task.
 */
final class WorkerPool implements Executor {
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());

  private final ThreadPoolExecutor threads;
  private final BlockingQueue<Runnable> waiting;

  WorkerPool(int maxThreads, int maxQueued, String name) {
    AtomicInteger count = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    this.waiting = maxQueued > 0 ? new ArrayBlockingQueue<>(maxQueued) : new SynchronousQueue<>();
  }

  @Override
  public void execute(Runnable task) {
    try {
      threads.execute(() -> runThenDrain(task));
      return;
    } catch (RejectedExecutionException everyThreadBusy) {
      if (threads.isShutdown()) throw everyThreadBusy;
    }
    if (!waiting.offer(task)) throw new RejectedExecutionException("every worker is busy and the queue is full");
    // A thread may have gone idle between the first attempt and the offer: hand it the queue. If none
    // is idle, every thread is busy and drains the queue when its own task ends.
    try {
      threads.execute(this::drain);
    } catch (RejectedExecutionException stillBusy) {
      // As said.
    }
  }

  private void runThenDrain(Runnable task) {
    try {
      task.run();
    } finally {
      drain();
    }
  }

  private void drain() {
    for (Runnable next; !threads.isShutdown() && (next = waiting.poll()) != null; ) {
      try {
        next.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "gateway task failed", e);
      }
    }
  }

  void shutdownNow() {
    threads.shutdownNow();
    waiting.clear();
  }
}
