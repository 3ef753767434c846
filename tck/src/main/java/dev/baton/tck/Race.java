package dev.baton.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts threads together on a latch (as Caffeine's {@code ConcurrentTestHarness} does), waits for
 * all of them, and rethrows the first failure. No sleeps.
 */
final class Race {
  private Race() {}

  /** A task run by thread number {@code index}. */
  @FunctionalInterface
  interface Task {
    void run(int index) throws Exception;
  }

  static void run(int threads, Duration timeout, Task task) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "baton-tck-race");
      t.setDaemon(true);
      return t;
    });
    try {
      var ready = new CountDownLatch(threads);
      var go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
        int index = i;
        futures.add(executor.submit(() -> {
          ready.countDown();
          go.await();
          task.run(index);
          return null;
        }));
      }
      if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError("threads did not start within " + timeout
            + " (baton.tck.timeout)");
      }
      go.countDown();
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Future<?> future : futures) {
        try {
          future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Exception ex) {
            throw ex;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw e;
        } catch (TimeoutException e) {
          throw new AssertionError("store operations did not finish within " + timeout
              + " (baton.tck.timeout); a deadlock or a hung backend call?", e);
        }
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
