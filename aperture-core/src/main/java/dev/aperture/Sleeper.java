package dev.aperture;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits between retries. The Router's default really waits; tests inject one that advances a fake clock
 * instead, so retry timing is asserted without sleeping.
 */
public interface Sleeper {
  /** Blocks the calling thread for {@code duration}. */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Completes after {@code delay} without holding a thread while it waits (used by asynchronous calls).
   * The default sleeps on the common pool; {@link #SYSTEM} uses a timer instead.
   */
  default CompletableFuture<Void> delay(Duration delay) {
    return CompletableFuture.runAsync(() -> {
      try {
        sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.util.concurrent.CancellationException("interrupted while waiting to retry");
      }
    });
  }

  /** Real time. */
  Sleeper SYSTEM = new Sleeper() {
    @Override
    public void sleep(Duration duration) throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }

    @Override
    public CompletableFuture<Void> delay(Duration delay) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(() -> done.complete(null));
      return done;
    }

    @Override
    public String toString() {
      return "Sleeper.SYSTEM";
    }
  };
}
