package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Baton#wrap(ExecutorService)} and {@link Baton#wrap(Executor)} with real pools. */
class ExecutorPropagationTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final Baton baton = Baton.builder().store(store).clock(time.clock)
      .snapshotTtl(Duration.ofMinutes(5)).listener(events::add).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final ThreadPoolExecutor single =
      new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
  private final ExecutorService caller = Executors.newSingleThreadExecutor();
  private final AccessToken alice = Tokens.of("executor-alice-jwt", "alice");

  @AfterEach
  void tearDown() throws InterruptedException {
    for (ExecutorService service : List.of(pool, single, caller)) {
      service.shutdownNow();
      service.awaitTermination(10, TimeUnit.SECONDS);
    }
    store.close();
  }

  /** Waits (bounded) until {@code tasks} wait in {@link #single}'s queue. */
  private void awaitQueued(int tasks) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (single.getQueue().size() < tasks && System.nanoTime() < deadline) {
      Thread.yield();
    }
    assertThat(single.getQueue()).as("queued tasks").hasSizeGreaterThanOrEqualTo(tasks);
  }

  /** Blocks {@link #single} until the returned latch is released. */
  private CountDownLatch blockSingleThread() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    single.execute(() -> {
      started.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  @Test
  void submit_propagatesTheCaller() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);

    Future<Optional<AccessToken>> seen;
    try (Scope request = baton.bindRequest(alice)) {
      seen = wrapped.submit(Baton::currentToken);
    }

    assertThat(seen.get(10, TimeUnit.SECONDS)).contains(alice);
  }

  @Test
  void execute_propagatesTheCaller() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);
    CompletableFuture<Optional<AccessToken>> seen = new CompletableFuture<>();

    try (Scope request = baton.bindRequest(alice)) {
      wrapped.execute(() -> seen.complete(Baton.currentToken()));
    }

    assertThat(seen.get(10, TimeUnit.SECONDS)).contains(alice);
  }

  @Test
  void invokeAll_propagatesTheCallerToEveryTask() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);
    Callable<Optional<AccessToken>> task = Baton::currentToken;

    List<Future<Optional<AccessToken>>> results;
    try (Scope request = baton.bindRequest(alice)) {
      results = wrapped.invokeAll(List.of(task, task, task));
    }

    assertThat(results).hasSize(3);
    for (Future<Optional<AccessToken>> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).contains(alice);
    }
  }

  @Test
  void invokeAny_propagatesTheCaller() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);
    Callable<Optional<AccessToken>> task = Baton::currentToken;

    Optional<AccessToken> seen;
    try (Scope request = baton.bindRequest(alice)) {
      seen = wrapped.invokeAny(List.of(task, task));
    }

    assertThat(seen).contains(alice);
  }

  @Test
  void completableFutureSupplyAsync_onAWrappedExecutor_propagatesTheCaller() throws Exception {
    CompletableFuture<Optional<AccessToken>> seen;
    try (Scope request = baton.bindRequest(alice)) {
      seen = CompletableFuture.supplyAsync(Baton::currentToken, baton.wrap((Executor) pool));
    }

    assertThat(seen.get(10, TimeUnit.SECONDS)).contains(alice);
  }

  @Test
  void submit_queuedPastTheSnapshotTtl_stillRunsAsTheCaller() throws Exception {
    ExecutorService wrapped = baton.wrap(single);
    CountDownLatch release = blockSingleThread();

    Future<Optional<AccessToken>> seen;
    try (Scope request = baton.bindRequest(alice)) {
      seen = wrapped.submit(Baton::currentToken);
    }
    // Past the store TTL: in-process, the snapshot travels with the task and cannot vanish.
    time.advance(Duration.ofMinutes(6));
    release.countDown();

    assertThat(seen.get(10, TimeUnit.SECONDS)).contains(alice);
  }

  @Test
  void submit_tokenExpiringWhileQueued_failsTheTaskUnderFail() throws Exception {
    ExecutorService wrapped = baton.wrap(single);
    AccessToken shortLived =
        Tokens.expiringAt("short-lived-jwt", "alice", TestTime.START.plus(Duration.ofMinutes(1)));
    CountDownLatch release = blockSingleThread();

    Future<Optional<AccessToken>> seen;
    try (Scope request = baton.bindRequest(shortLived)) {
      seen = wrapped.submit(Baton::currentToken);
    }
    time.advance(Duration.ofMinutes(2));
    release.countDown();

    assertThat(seen).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(dev.baton.RestoreFailedException.class);
  }

  @Test
  void submit_tokenExpiringWhileQueued_underRunUnauthenticated_readsEmptyInTheTask()
      throws Exception {
    Baton lenient = Baton.builder().clock(time.clock)
        .restoreFailurePolicy(dev.baton.RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    ExecutorService wrapped = lenient.wrap(single);
    AccessToken shortLived =
        Tokens.expiringAt("short-lived-jwt", "alice", TestTime.START.plus(Duration.ofMinutes(1)));
    CountDownLatch release = blockSingleThread();

    Future<Optional<AccessToken>> seen;
    try (Scope request = lenient.bindRequest(shortLived)) {
      seen = wrapped.submit(Baton::currentToken);
    }
    time.advance(Duration.ofMinutes(2));
    release.countDown();

    assertThat(seen.get(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void invokeAny_queuedPastTheSnapshotTtl_stillRunsAsTheCaller() throws Exception {
    ExecutorService wrapped = baton.wrap(single);
    CountDownLatch release = blockSingleThread();

    Future<Optional<AccessToken>> invoked = caller.submit(() -> {
      try (Scope request = baton.bindRequest(alice)) {
        return wrapped.invokeAny(List.<Callable<Optional<AccessToken>>>of(Baton::currentToken));
      }
    });
    awaitQueued(1);
    time.advance(Duration.ofMinutes(6));
    release.countDown();

    assertThat(invoked.get(10, TimeUnit.SECONDS)).contains(alice);
  }

  @Test
  void completableFuture_queuedPastTheSnapshotTtl_stillSeesTheCaller() throws Exception {
    CountDownLatch release = blockSingleThread();

    CompletableFuture<Optional<AccessToken>> seen;
    try (Scope request = baton.bindRequest(alice)) {
      seen = CompletableFuture.supplyAsync(Baton::currentToken, baton.wrap((Executor) single));
    }
    time.advance(Duration.ofMinutes(6));
    release.countDown();

    assertThat(seen.get(10, TimeUnit.SECONDS)).contains(alice);
  }

  @Test
  void rejectedSubmit_propagatesTheRejection_andLeavesTheStoreEmpty() {
    ExecutorService wrapped = baton.wrap(single);
    single.shutdown();

    try (Scope request = baton.bindRequest(alice)) {
      assertThatThrownBy(() -> wrapped.submit(() -> "never"))
          .isInstanceOf(RejectedExecutionException.class);
    }

    assertThat(store.estimatedSize()).isZero();
  }

  @Test
  void inProcessTasks_neverTouchTheStore() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);

    try (Scope request = baton.bindRequest(alice)) {
      for (int i = 0; i < 20; i++) {
        assertThat(wrapped.submit(Baton::currentToken).get(10, TimeUnit.SECONDS)).contains(alice);
      }
    }

    assertThat(events).isEmpty();
    assertThat(store.estimatedSize()).isZero();
  }

  @Test
  void task_seesItsContext_withTheAppLifespan() throws Exception {
    Baton withLifespan = Baton.builder().store(store).clock(time.clock)
        .lifespan(Map.of("db", "reports-db")).build();
    ExecutorService wrapped = withLifespan.wrap(pool);

    Future<Object> seen;
    try (Scope request = withLifespan.bindRequest(alice)) {
      seen = wrapped.submit(() -> TaskContext.current().orElseThrow().lifespan().get("db"));
    }

    assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("reports-db");
  }

  @Test
  void shutdown_ofTheWrapper_shutsTheDelegateDown() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);

    wrapped.shutdown();

    assertThat(pool.isShutdown()).isTrue();
    assertThat(wrapped.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(wrapped.isTerminated()).isTrue();
  }
}
