package dev.baton.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Wrapped executors under rejection, timeouts, failures, schedules and continuations. */
class ExecutorAttackTest {
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create();
  private final AccessToken alice = Adversaries.token("exec-alice-secret-jwt", "alice");
  private final AccessToken bob = Adversaries.token("exec-bob-secret-jwt", "bob");
  private final Baton baton = Baton.builder().store(store).build();
  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void clean() {
    pools.forEach(ExecutorService::shutdownNow);
    store.close();
    assertThat(Baton.isBound()).isFalse();
  }

  private <T extends ExecutorService> T track(T pool) {
    pools.add(pool);
    return pool;
  }

  @Test
  void callerRunsPolicy_taskSeesItsOwnCaller_threadKeepsExactlyWhatItHeld() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    ThreadPoolExecutor raw = track(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new SynchronousQueue<>(), new ThreadPoolExecutor.CallerRunsPolicy()));
    ExecutorService pool = track(baton.wrap((ExecutorService) raw));
    try (Scope b = baton.bindRequest(bob)) {
      pool.execute(() -> {
        busy.countDown();
        await(release);
      });
    }
    assertThat(busy.await(60, TimeUnit.SECONDS)).isTrue();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "cr"), alice);
    try {
      baton.run(key, () -> {
        TaskContext before = TaskContext.current().orElseThrow();
        AtomicReference<Optional<AccessToken>> seen = new AtomicReference<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        try (Scope request = baton.bindRequest(alice)) {
          pool.execute(() -> {
            ranOn.set(Thread.currentThread());
            seen.set(Baton.currentToken());
          });
          Future<Optional<AccessToken>> f = pool.submit(Baton::currentToken);
          assertThat(getQuietly(f)).contains(alice);
          assertThat(Baton.currentToken()).contains(alice);
        }
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        assertThat(seen.get()).contains(alice);
        assertThat(TaskContext.current()).containsSame(before);
        assertThat(Baton.currentToken()).contains(alice);
      });
    } finally {
      release.countDown();
    }
  }

  @Test
  void rejectedAfterShutdown_threadUnchanged() {
    ExecutorService pool = baton.wrap(Executors.newSingleThreadExecutor());
    pool.shutdown();
    try (Scope request = baton.bindRequest(alice)) {
      assertThatThrownBy(() -> pool.execute(() -> { }))
          .isInstanceOf(RejectedExecutionException.class);
      assertThatThrownBy(() -> pool.submit(() -> 1))
          .isInstanceOf(RejectedExecutionException.class);
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void invokeAllWithTimeout_tasksThrowAndHang_submitterSeen_threadRestored() throws Exception {
    ExecutorService pool = track(baton.wrap(Executors.newFixedThreadPool(2)));
    CountDownLatch never = new CountDownLatch(1);
    List<Callable<Optional<AccessToken>>> tasks = List.of(
        Baton::currentToken,
        () -> {
          throw new IllegalStateException("task fails");
        },
        () -> {
          never.await();
          return Optional.empty();
        });
    try (Scope request = baton.bindRequest(alice)) {
      List<Future<Optional<AccessToken>>> results =
          pool.invokeAll(tasks, 200, TimeUnit.MILLISECONDS);
      assertThat(Baton.currentToken()).contains(alice);
      if (!results.get(0).isCancelled()) {
        assertThat(results.get(0).get()).contains(alice);
      }
      if (!results.get(1).isCancelled()) {
        assertThatThrownBy(() -> results.get(1).get()).isInstanceOf(ExecutionException.class);
      }
      assertThat(results.get(2).isCancelled()).isTrue();
    }
  }

  @Test
  void invokeAny_allFail_threadRestored() {
    ExecutorService pool = track(baton.wrap(Executors.newFixedThreadPool(2)));
    List<Callable<String>> tasks = List.of(
        () -> {
          throw new IllegalStateException("a");
        },
        () -> {
          throw new IllegalStateException("b");
        });
    try (Scope request = baton.bindRequest(alice)) {
      assertThatThrownBy(() -> pool.invokeAny(tasks, 60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void afterExecuteHook_seesNoBinding() throws Exception {
    BlockingQueue<Boolean> boundInHook = new ArrayBlockingQueue<>(4);
    ThreadPoolExecutor raw = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(4)) {
      @Override
      protected void afterExecute(Runnable r, Throwable t) {
        boundInHook.add(Baton.isBound());
      }

      @Override
      protected void beforeExecute(Thread t, Runnable r) {
        boundInHook.add(Baton.isBound());
      }
    };
    ExecutorService pool = track(baton.wrap((ExecutorService) raw));
    try (Scope request = baton.bindRequest(alice)) {
      pool.submit(() -> {
        throw new IllegalStateException("fails");
      });
      pool.execute(() -> { });
    }
    for (int i = 0; i < 4; i++) {
      assertThat(boundInHook.poll(60, TimeUnit.SECONDS)).isFalse();
    }
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void periodicTask_acrossTokenExpiry_underRunUnauthenticated_laterRunsSeeNobody()
      throws Exception {
    MovableClock clock = new MovableClock();
    Baton timed = Baton.builder().clock(clock)
        .restoreFailurePolicy(dev.baton.RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    AccessToken expiring = new AccessToken("exec-expiring-secret-jwt", "c", List.of(),
        clock.instant().plusSeconds(60), null, java.util.Map.of("sub", "e"));
    ScheduledExecutorService ses = timed.wrap(Executors.newSingleThreadScheduledExecutor());
    track(ses);
    Semaphore permits = new Semaphore(0);
    BlockingQueue<Optional<AccessToken>> seen = new ArrayBlockingQueue<>(16);
    ScheduledFuture<?> periodic;
    try (Scope request = timed.bindRequest(expiring)) {
      periodic = ses.scheduleAtFixedRate(() -> {
        permits.acquireUninterruptibly();
        seen.add(Baton.currentToken());
      }, 0, 1, TimeUnit.MILLISECONDS);
    }
    permits.release();
    assertThat(seen.poll(60, TimeUnit.SECONDS)).contains(expiring);
    clock.advance(Duration.ofSeconds(61));
    permits.release();
    assertThat(seen.poll(60, TimeUnit.SECONDS)).isEmpty();
    periodic.cancel(false);
    permits.release(1000);
    assertThat(periodic.isCancelled()).isTrue();
  }

  @Test
  void periodicTask_acrossTokenExpiry_underFail_stopsWithCallerExpired() throws Exception {
    MovableClock clock = new MovableClock();
    Baton timed = Baton.builder().clock(clock).build();
    AccessToken expiring = new AccessToken("exec-expiring-secret-jwt", "c", List.of(),
        clock.instant().plusSeconds(60), null, java.util.Map.of("sub", "e"));
    ScheduledExecutorService ses = timed.wrap(Executors.newSingleThreadScheduledExecutor());
    track(ses);
    Semaphore permits = new Semaphore(0);
    BlockingQueue<Optional<AccessToken>> seen = new ArrayBlockingQueue<>(16);
    ScheduledFuture<?> periodic;
    try (Scope request = timed.bindRequest(expiring)) {
      periodic = ses.scheduleAtFixedRate(() -> {
        permits.acquireUninterruptibly();
        seen.add(Baton.currentToken());
      }, 0, 1, TimeUnit.MILLISECONDS);
    }
    permits.release();
    assertThat(seen.poll(60, TimeUnit.SECONDS)).contains(expiring);
    clock.advance(Duration.ofSeconds(61));
    permits.release(1000);

    // A run already under way reads nobody from the expiry on; the next one does not start.
    assertThat((java.util.concurrent.Future<?>) periodic).failsWithin(Duration.ofSeconds(60))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(dev.baton.RestoreFailedException.class);
    assertThat(seen).allMatch(Optional::isEmpty);
  }

  @Test
  void scheduledFuture_delayAndOrder_passThrough_cancelPreventsRun() throws Exception {
    ScheduledExecutorService ses = baton.wrap(Executors.newSingleThreadScheduledExecutor());
    track(ses);
    AtomicBoolean ran = new AtomicBoolean();
    ScheduledFuture<?> late;
    ScheduledFuture<String> later;
    try (Scope request = baton.bindRequest(alice)) {
      late = ses.schedule(() -> ran.set(true), 1, TimeUnit.DAYS);
      later = ses.schedule(() -> "x", 2, TimeUnit.DAYS);
    }
    assertThat(late.getDelay(TimeUnit.HOURS)).isBetween(23L, 24L);
    assertThat(late.compareTo(later)).isNegative();
    assertThat(late.cancel(false)).isTrue();
    assertThat(ran).isFalse();
    try (Scope request = baton.bindRequest(bob)) {
      ScheduledFuture<Optional<AccessToken>> now =
          ses.schedule(Baton::currentToken, 0, TimeUnit.MILLISECONDS);
      assertThat(now.get(60, TimeUnit.SECONDS)).contains(bob);
    }
  }

  @Test
  void continuations_attachedByBob_onAlicesPendingFuture_runAsBob_everyShape() throws Exception {
    ExecutorService pool = track(baton.wrap(Executors.newFixedThreadPool(2)));
    CompletableFuture<String> alices = new CompletableFuture<>();
    CompletableFuture<String> failing = new CompletableFuture<>();
    List<CompletableFuture<Optional<AccessToken>>> bobs = new ArrayList<>();
    AtomicReference<Optional<AccessToken>> accepted = new AtomicReference<>();
    CompletableFuture<Void> accept;
    try (Scope request = baton.bindRequest(bob)) {
      CallerBinding b = Baton.currentBinding();
      bobs.add(alices.thenApply(b.wrapFunction(v -> Baton.currentToken())));
      bobs.add(alices.thenApplyAsync(b.wrapFunction(v -> Baton.currentToken()), pool));
      bobs.add(alices.thenComposeAsync(
          b.wrapFunction(v -> CompletableFuture.completedFuture(Baton.currentToken())), pool));
      bobs.add(alices.handleAsync(b.wrapBiFunction((v, e) -> Baton.currentToken()), pool));
      bobs.add(failing.exceptionally(b.<Throwable, String>wrapFunction(e -> "recovered"))
          .thenApply(b.wrapFunction(v -> Baton.currentToken())));
      bobs.add(alices.thenCombineAsync(CompletableFuture.completedFuture("y"),
          b.wrapBiFunction((x, y) -> Baton.currentToken()), pool));
      bobs.add(CompletableFuture.supplyAsync(b.wrapSupplier(Baton::currentToken),
          Executors.newSingleThreadExecutor()));
      accept = alices.thenAcceptAsync(b.wrapConsumer(v -> accepted.set(Baton.currentToken())));
    }
    try (Scope request = baton.bindRequest(alice)) {
      alices.complete("done");
      failing.completeExceptionally(new IllegalStateException("x"));
    }
    for (CompletableFuture<Optional<AccessToken>> f : bobs) {
      assertThat(f.get(60, TimeUnit.SECONDS)).contains(bob);
    }
    accept.get(60, TimeUnit.SECONDS);
    assertThat(accepted.get()).contains(bob);
  }

  @Test
  void supplyAsyncOnWrappedPool_twoCallersInterleaved_eachSeesSelf() throws Exception {
    ExecutorService pool = track(baton.wrap(Executors.newFixedThreadPool(3)));
    for (int i = 0; i < 200; i++) {
      CompletableFuture<Optional<AccessToken>> a;
      CompletableFuture<Optional<AccessToken>> b;
      try (Scope request = baton.bindRequest(alice)) {
        a = CompletableFuture.supplyAsync(Baton::currentToken, pool);
      }
      try (Scope request = baton.bindRequest(bob)) {
        b = CompletableFuture.supplyAsync(Baton::currentToken, pool);
      }
      CompletableFuture<Optional<AccessToken>> unbound =
          CompletableFuture.supplyAsync(Baton::currentToken, pool);
      assertThat(a.get(60, TimeUnit.SECONDS)).contains(alice);
      assertThat(b.get(60, TimeUnit.SECONDS)).contains(bob);
      assertThat(unbound.get(60, TimeUnit.SECONDS)).isEmpty();
    }
  }

  private static <T> T getQuietly(Future<T> f) {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
