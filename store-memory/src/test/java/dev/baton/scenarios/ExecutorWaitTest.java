package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Items 4 and 11: waiting on a wrapped executor never lends the waiter's identity and never hangs;
 * a wrapped scheduler runs every run as the caller who scheduled it; virtual threads.
 */
@SuppressWarnings("try")
class ExecutorWaitTest {
  private final Baton baton = Baton.builder().build();
  private final AccessToken alice = Tokens.of("wait-alice-jwt", "alice");
  private final AccessToken bob = Tokens.of("wait-bob-jwt", "bob");

  @AfterEach
  void threadIsClean() {
    assertThat(Baton.isBound()).isFalse();
  }

  private static String who() {
    return Baton.currentToken().map(t -> t.subject()).orElse("nobody");
  }

  @Test
  void awaitTermination_onWrappedCommonPool_neverRunsForeignTasksAsTheWaiter() throws Exception {
    ForkJoinPool common = ForkJoinPool.commonPool();
    int parallelism = common.getParallelism();
    CountDownLatch blockersStarted = new CountDownLatch(parallelism);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < parallelism; i++) {
      common.execute(() -> {
        blockersStarted.countDown();
        awaitQuietly(release);
      });
    }
    assertThat(blockersStarted.await(60, TimeUnit.SECONDS)).isTrue();
    // Every worker is busy: these unwrapped tasks can only run on a thread that helps.
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    CountDownLatch foreignDone = new CountDownLatch(50);
    for (int i = 0; i < 50; i++) {
      common.execute(() -> {
        seen.add(who());
        foreignDone.countDown();
        if (foreignDone.getCount() == 0) {
          release.countDown();
        }
      });
    }
    ExecutorService wrapped = baton.wrap(common);

    try (Scope request = baton.bindRequest(alice)) {
      wrapped.awaitTermination(60, TimeUnit.SECONDS);
      assertThat(who()).isEqualTo("alice");
    }
    release.countDown();

    assertThat(foreignDone.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).hasSize(50).containsOnly("nobody");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void close_onWrappedCommonPool_returnsAtOnce_evenWithABusyTask() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ForkJoinPool.commonPool().execute(() -> awaitQuietly(release));
    ExecutorService wrapped = baton.wrap(ForkJoinPool.commonPool());
    try {
      CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
        try {
          ((AutoCloseable) wrapped).close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, Executors.newSingleThreadExecutor());

      closing.get(60, TimeUnit.SECONDS);
      assertThat(ForkJoinPool.commonPool().isShutdown()).isFalse();
    } finally {
      release.countDown();
    }
  }

  @Test
  void close_onAWrappedPool_shutsItDownAndReturns_onEveryJdk() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ExecutorService wrapped = baton.wrap(pool);
    wrapped.submit(() -> "done").get(30, TimeUnit.SECONDS);

    // close() exists on every JDK the wrapper runs on; ExecutorService declares it from 19 on
    Method close = wrapped.getClass().getMethod("close");
    close.setAccessible(true);
    try (Scope request = baton.bindRequest(alice)) {
      close.invoke(wrapped);
      assertThat(who()).isEqualTo("alice");
    }

    assertThat(pool.isTerminated()).isTrue();
  }

  @Test
  void invokeAll_runsEveryTaskAsTheCaller_andKeepsTheCallersBindingAfterwards() throws Exception {
    ExecutorService wrapped = baton.wrap(ForkJoinPool.commonPool());
    List<Callable<String>> tasks = List.of(ExecutorWaitTest::who, ExecutorWaitTest::who,
        ExecutorWaitTest::who);
    try (Scope request = baton.bindRequest(alice)) {
      List<Future<String>> results = wrapped.invokeAll(tasks);
      for (Future<String> result : results) {
        assertThat(result.get()).isEqualTo("alice");
      }
      assertThat(wrapped.invokeAny(tasks)).isEqualTo("alice");
      assertThat(wrapped.invokeAll(tasks, 60, TimeUnit.SECONDS).get(0).get()).isEqualTo("alice");
      assertThat(wrapped.invokeAny(tasks, 60, TimeUnit.SECONDS)).isEqualTo("alice");
      assertThat(who()).isEqualTo("alice");
    }
  }

  @Test
  void shutdownAndAwait_onAWrappedPool_keepTheCallersBinding() throws Exception {
    ExecutorService wrapped = baton.wrap(Executors.newSingleThreadExecutor());
    try (Scope request = baton.bindRequest(alice)) {
      wrapped.shutdown();
      assertThat(wrapped.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      assertThat(wrapped.shutdownNow()).isEmpty();
      assertThat(who()).isEqualTo("alice");
    }
  }

  // ------------------------------------------------------------------ scheduled executors

  @Test
  void wrapScheduled_everyKindOfSchedule_runsAsTheCallerWhoScheduledIt() throws Exception {
    ScheduledExecutorService scheduler = baton.wrap(Executors.newSingleThreadScheduledExecutor());
    try {
      // the scheduler's thread first runs a task as bob, so a leak would show as bob
      try (Scope request = baton.bindRequest(bob)) {
        assertThat(scheduler.schedule(ExecutorWaitTest::who, 0, TimeUnit.MILLISECONDS)
            .get(30, TimeUnit.SECONDS)).isEqualTo("bob");
      }
      ConcurrentLinkedQueue<String> fixedRate = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> fixedDelay = new ConcurrentLinkedQueue<>();
      CountDownLatch runs = new CountDownLatch(6);
      ScheduledFuture<?> rate;
      ScheduledFuture<?> delay;
      ScheduledFuture<String> once;
      try (Scope request = baton.bindRequest(alice)) {
        rate = scheduler.scheduleAtFixedRate(() -> {
          fixedRate.add(who());
          runs.countDown();
        }, 0, 1, TimeUnit.MILLISECONDS);
        delay = scheduler.scheduleWithFixedDelay(() -> {
          fixedDelay.add(who());
          runs.countDown();
        }, 0, 1, TimeUnit.MILLISECONDS);
        once = scheduler.schedule(ExecutorWaitTest::who, 1, TimeUnit.MILLISECONDS);
      }
      String[] runnableSeen = new String[1];
      CountDownLatch runnableRan = new CountDownLatch(1);
      try (Scope request = baton.bindRequest(bob)) {
        scheduler.schedule(() -> {
          runnableSeen[0] = who();
          runnableRan.countDown();
        }, 1, TimeUnit.MILLISECONDS);
      }

      assertThat(runs.await(60, TimeUnit.SECONDS)).isTrue();
      rate.cancel(false);
      delay.cancel(false);
      assertThat(once.get(30, TimeUnit.SECONDS)).isEqualTo("alice");
      assertThat(runnableRan.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(runnableSeen[0]).isEqualTo("bob");
      assertThat(fixedRate).isNotEmpty().containsOnly("alice");
      assertThat(fixedDelay).isNotEmpty().containsOnly("alice");
      assertThat(scheduler.submit(ExecutorWaitTest::who).get(30, TimeUnit.SECONDS))
          .isEqualTo("nobody");
    } finally {
      scheduler.shutdownNow();
      scheduler.awaitTermination(60, TimeUnit.SECONDS);
    }
  }

  // ------------------------------------------------------------------ virtual threads

  private static ExecutorService virtualThreadPerTask() throws Exception {
    return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
        .invoke(null);
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void wrappedVirtualThreads_manyCallers_eachTaskSeesItsOwnCaller() throws Exception {
    ExecutorService wrapped = baton.wrap(virtualThreadPerTask());
    try {
      List<Future<Boolean>> results = new java.util.ArrayList<>();
      for (int c = 0; c < 20; c++) {
        AccessToken caller = Tokens.of("vt-caller-" + c + "-jwt", "user-" + c);
        try (Scope request = baton.bindRequest(caller)) {
          for (int i = 0; i < 50; i++) {
            results.add(wrapped.submit(() -> Baton.currentToken().equals(Optional.of(caller))));
          }
        }
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      wrapped.shutdown();
      assertThat(wrapped.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void unwrappedVirtualThread_seesNoCaller() throws Exception {
    ExecutorService plain = virtualThreadPerTask();
    try (Scope request = baton.bindRequest(alice)) {
      assertThat(plain.submit(ExecutorWaitTest::who).get(60, TimeUnit.SECONDS))
          .isEqualTo("nobody");
    } finally {
      plain.shutdown();
    }
  }

  @Test
  void parallelStream_commonPoolWorkers_seeNoCaller_butTheCallingThreadDoes() {
    try (Scope request = baton.bindRequest(alice)) {
      List<String> seen = java.util.stream.IntStream.range(0, 2000).parallel()
          .mapToObj(i -> Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread
              ? who() : "caller-thread:" + who())
          .distinct().toList();
      assertThat(seen).isSubsetOf("nobody", "caller-thread:alice");
    }
  }
}
