package dev.aperture.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class WorkerPoolTest {
  @Test
  void runsEveryAcceptedTaskOnceAndRefusesBeyondThreadsPlusQueue() throws Exception {
    WorkerPool pool = new WorkerPool(4, 8, "test-worker");
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch busy = new CountDownLatch(4);
      CountDownLatch done = new CountDownLatch(12);
      AtomicInteger runs = new AtomicInteger();
      Set<String> threadNames = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < 4; i++) {
        pool.execute(() -> {
          threadNames.add(Thread.currentThread().getName());
          busy.countDown();
          await(release);
          runs.incrementAndGet();
          done.countDown();
        });
      }
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 8; i++) {
        pool.execute(() -> {
          threadNames.add(Thread.currentThread().getName());
          runs.incrementAndGet();
          done.countDown();
        });
      }
      assertThatThrownBy(() -> pool.execute(() -> runs.addAndGet(1000)))
          .isInstanceOf(RejectedExecutionException.class);
      release.countDown();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(runs.get()).isEqualTo(12);
      assertThat(threadNames).hasSize(4); // The queued tasks ran on the same four threads.
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
