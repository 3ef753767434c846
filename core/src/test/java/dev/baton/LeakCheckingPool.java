package dev.baton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A fixed pool that checks, after every task, that the task left its thread clean
 * ({@link Baton#isBound()} false), and remembers the threads that were not.
 */
final class LeakCheckingPool extends ThreadPoolExecutor {
  private final List<String> leaks = new CopyOnWriteArrayList<>();

  LeakCheckingPool(int threads) {
    super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
  }

  @Override
  protected void afterExecute(Runnable task, Throwable failure) {
    if (Baton.isBound()) {
      leaks.add(Thread.currentThread().getName() + " after " + task);
    }
  }

  /** The threads a task left bound, each with the task. */
  List<String> leaks() {
    return leaks;
  }

  /** Shuts down and waits (bounded) for the running tasks. */
  void stop() throws InterruptedException {
    shutdownNow();
    if (!awaitTermination(30, TimeUnit.SECONDS)) {
      throw new AssertionError("pool did not stop within 30 s");
    }
  }
}
