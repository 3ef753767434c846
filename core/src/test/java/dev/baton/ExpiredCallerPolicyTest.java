package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule for a caller whose token expired before its task started, on every path: the
 * {@link RestoreFailurePolicy} decides, and the caller never silently becomes "no caller". Under
 * {@code FAIL} the body does not run and the failure is {@link RestoreFailedException} with
 * {@code CALLER_EXPIRED}; under {@code RUN_UNAUTHENTICATED} the body runs with no caller. Either
 * way an event says why ({@code EXPIRED}, or {@code CAPTURED_EXPIRED} for a capture).
 *
 * <p>Each path captures Alice (valid until {@code NOW + 10 s}) at {@code NOW}, the clock moves 20 s
 * on, and then the task starts. The store keeps her snapshot regardless of TTL ({@link MapStore}),
 * as a store with a coarse TTL or a worker with another leeway would.
 */
@SuppressWarnings("try")
class ExpiredCallerPolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void threadIsClean() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    assertThat(ContextStorage.isBound()).as("test left a binding on the thread").isFalse();
  }

  /** What one path needs: clock, store, Batons of one policy, and what the body saw. */
  final class Fixture {
    final MutableClock clock = new MutableClock(NOW);
    final MapStore store = new MapStore();
    final List<BatonEvent> events = new CopyOnWriteArrayList<>();
    final Baton baton;
    /** The same policy with a five-minute leeway: must not revive a caller bound by baton. */
    final Baton lenient;
    final AccessToken alice = AccessToken.builder("alice-token", "client")
        .expiresAt(NOW.plusSeconds(10)).build();
    final RestoreFailurePolicy policy;
    volatile boolean ran;
    volatile @Nullable Optional<AccessToken> seen;

    Fixture(RestoreFailurePolicy policy) {
      this.policy = policy;
      baton = Baton.builder().store(store).clock(clock).restoreFailurePolicy(policy)
          .listener(events::add).build();
      lenient = Baton.builder().store(store).clock(clock).restoreFailurePolicy(policy)
          .leeway(Duration.ofMinutes(5)).listener(events::add).build();
    }

    void body() {
      seen = Baton.currentToken();
      ran = true;
    }

    <T> T bodyValue(T value) {
      body();
      return value;
    }

    Scope asAlice() {
      return baton.bindRequest(alice);
    }

    void expire() {
      clock.advance(Duration.ofSeconds(20));
    }

    CallerBinding aliceBinding() {
      try (Scope request = asAlice()) {
        return CallerBinding.capture();
      }
    }

    TaskKey capturedAlice() {
      return baton.capture(TaskKey.forCaller(alice, "task"), alice);
    }

    <E extends AutoCloseable> E closeLater(E closeable) {
      cleanup.add(closeable);
      return closeable;
    }

    ScheduledExecutorService heldScheduler(CountDownLatch release) {
      ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1);
      closeLater(() -> {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      });
      pool.execute(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      return pool;
    }
  }

  /** One way a task starts; returns what it failed with (unwrapped), or null. */
  interface Path {
    @Nullable Throwable attempt(Fixture f) throws Exception;
  }

  private static @Nullable Throwable failureOf(Callable<?> call) throws Exception {
    try {
      call.call();
      return null;
    } catch (ExecutionException | CompletionException e) {
      return e.getCause();
    } catch (RestoreFailedException e) {
      return e;
    }
  }

  private static @Nullable Throwable failureOfFuture(Future<?> future) throws Exception {
    return failureOf(() -> future.get(10, TimeUnit.SECONDS));
  }

  static List<Arguments> paths() {
    Map<String, Path> paths = new java.util.LinkedHashMap<>();
    paths.put("run(key)", f -> {
      TaskKey key = f.capturedAlice();
      f.expire();
      return failureOf(() -> {
        f.baton.run(key, f::body);
        return null;
      });
    });
    paths.put("call(key)", f -> {
      TaskKey key = f.capturedAlice();
      f.expire();
      return failureOf(() -> f.baton.call(key, () -> f.bodyValue("done")));
    });
    paths.put("enter(key)", f -> {
      TaskKey key = f.capturedAlice();
      f.expire();
      return failureOf(() -> {
        try (TaskScope task = f.baton.enter(key)) {
          f.body();
        }
        return null;
      });
    });
    paths.put("wrap(ExecutorService).submit(Callable)", f -> {
      HeldExecutorService held = new HeldExecutorService();
      Future<String> future;
      try (Scope request = f.asAlice()) {
        future = f.baton.wrap(held).submit(() -> f.bodyValue("done"));
      }
      f.expire();
      held.release();
      return failureOfFuture(future);
    });
    paths.put("wrap(ExecutorService).submit(Runnable)", f -> {
      HeldExecutorService held = new HeldExecutorService();
      Future<?> future;
      try (Scope request = f.asAlice()) {
        future = f.baton.wrap(held).submit(f::body);
      }
      f.expire();
      held.release();
      return failureOfFuture(future);
    });
    paths.put("wrap(ExecutorService).execute", f -> {
      HeldExecutorService held = new HeldExecutorService();
      try (Scope request = f.asAlice()) {
        f.baton.wrap(held).execute(f::body);
      }
      f.expire();
      return held.release();
    });
    paths.put("wrap(Executor).execute", f -> {
      HeldExecutorService held = new HeldExecutorService();
      try (Scope request = f.asAlice()) {
        f.baton.wrap((java.util.concurrent.Executor) held).execute(f::body);
      }
      f.expire();
      return held.release();
    });
    paths.put("wrap(ScheduledExecutorService).schedule(Callable)", f -> {
      CountDownLatch release = new CountDownLatch(1);
      ScheduledExecutorService wrapped = f.baton.wrap(f.heldScheduler(release));
      ScheduledFuture<String> future;
      try (Scope request = f.asAlice()) {
        future = wrapped.schedule(() -> f.bodyValue("done"), 0, TimeUnit.SECONDS);
      }
      f.expire();
      release.countDown();
      return failureOfFuture(future);
    });
    paths.put("wrap(ScheduledExecutorService).schedule(Runnable)", f -> {
      CountDownLatch release = new CountDownLatch(1);
      ScheduledExecutorService wrapped = f.baton.wrap(f.heldScheduler(release));
      ScheduledFuture<?> future;
      try (Scope request = f.asAlice()) {
        future = wrapped.schedule(f::body, 0, TimeUnit.SECONDS);
      }
      f.expire();
      release.countDown();
      return failureOfFuture(future);
    });
    paths.put("wrap(ScheduledExecutorService).scheduleAtFixedRate", f -> {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch firstRun = new CountDownLatch(1);
      ScheduledExecutorService wrapped = f.baton.wrap(f.heldScheduler(release));
      ScheduledFuture<?> future;
      try (Scope request = f.asAlice()) {
        future = wrapped.scheduleAtFixedRate(() -> {
          f.body();
          firstRun.countDown();
        }, 0, 1, TimeUnit.HOURS);
      }
      f.expire();
      release.countDown();
      if (f.policy == RestoreFailurePolicy.FAIL) {
        // the first run fails, which ends a periodic task: its future fails with the reason
        return failureOfFuture(future);
      }
      assertThat(firstRun.await(10, TimeUnit.SECONDS)).as("first periodic run").isTrue();
      future.cancel(false);
      return null;
    });
    paths.put("wrap(ExecutorService) by a longer leeway, expired at submit", f -> {
      // Expired by the rule of the Baton that bound it when submitted: a longer leeway where the
      // task runs must not bring it back. (One still valid at submit is judged by the wrapper's.)
      HeldExecutorService held = new HeldExecutorService();
      Future<String> future;
      try (Scope request = f.asAlice()) {
        f.expire();
        future = f.lenient.wrap(held).submit(() -> f.bodyValue("done"));
      }
      held.release();
      return failureOfFuture(future);
    });
    paths.put("CallerBinding.install", f -> {
      CallerBinding binding = f.aliceBinding();
      f.expire();
      return failureOf(() -> {
        try (Scope installed = binding.install()) {
          f.body();
        }
        return null;
      });
    });
    paths.put("CallerBinding.wrapRunnable", f -> {
      Runnable wrapped = f.aliceBinding().wrapRunnable(f::body);
      f.expire();
      return failureOf(() -> {
        wrapped.run();
        return null;
      });
    });
    paths.put("CallerBinding.wrapCallable", f -> {
      Callable<String> wrapped = f.aliceBinding().wrapCallable(() -> f.bodyValue("done"));
      f.expire();
      return failureOf(wrapped);
    });
    paths.put("CallerBinding.wrapSupplier", f -> {
      var wrapped = f.aliceBinding().wrapSupplier(() -> f.bodyValue("done"));
      f.expire();
      return failureOf(wrapped::get);
    });
    paths.put("CallerBinding.wrapFunction", f -> {
      java.util.function.Function<String, String> wrapped =
          f.aliceBinding().wrapFunction(f::bodyValue);
      f.expire();
      return failureOf(() -> wrapped.apply("x"));
    });
    paths.put("CallerBinding.wrapBiFunction", f -> {
      java.util.function.BiFunction<String, String, String> wrapped =
          f.aliceBinding().wrapBiFunction((a, b) -> f.bodyValue(a));
      f.expire();
      return failureOf(() -> wrapped.apply("x", "y"));
    });
    paths.put("CallerBinding.wrapConsumer", f -> {
      java.util.function.Consumer<String> wrapped = f.aliceBinding().wrapConsumer(x -> f.body());
      f.expire();
      return failureOf(() -> {
        wrapped.accept("x");
        return null;
      });
    });
    paths.put("baton.supplyAsync stage", f -> {
      HeldExecutorService held = new HeldExecutorService();
      CallerFuture<String> stage;
      try (Scope request = f.asAlice()) {
        stage = f.baton.supplyAsync(() -> f.bodyValue("done"), held);
      }
      f.expire();
      held.release();
      return failureOfFuture(stage);
    });
    paths.put("baton.runAsync stage", f -> {
      HeldExecutorService held = new HeldExecutorService();
      CallerFuture<Void> stage;
      try (Scope request = f.asAlice()) {
        stage = f.baton.runAsync(f::body, held);
      }
      f.expire();
      held.release();
      return failureOfFuture(stage);
    });
    paths.put("supplyAsync(wrapSupplier) stage", f -> {
      HeldExecutorService held = new HeldExecutorService();
      var stage = CompletableFuture.supplyAsync(
          f.aliceBinding().wrapSupplier(() -> f.bodyValue("done")), held);
      f.expire();
      held.release();
      return failureOfFuture(stage);
    });
    paths.put("capture()", f -> {
      TaskKey key;
      try (Scope request = f.asAlice()) {
        f.expire();
        Throwable failure = failureOf(f.baton::capture);
        if (failure != null) {
          return failure;
        }
        key = f.baton.capture();
      }
      f.baton.run(key, f::body);
      return null;
    });
    paths.put("capture(key)", f -> {
      TaskKey key = TaskKey.forCaller(f.alice, "t");
      try (Scope request = f.asAlice()) {
        f.expire();
        Throwable failure = failureOf(() -> f.baton.capture(key));
        if (failure != null) {
          assertThat(f.store.entries).doesNotContainKey(key);
          return failure;
        }
      }
      f.baton.run(key, f::body);
      return null;
    });
    paths.put("capture(key, token)", f -> {
      TaskKey key = TaskKey.forCaller(f.alice, "t");
      f.expire();
      Throwable failure = failureOf(() -> f.baton.capture(key, f.alice));
      if (failure != null) {
        assertThat(f.store.entries).doesNotContainKey(key);
        return failure;
      }
      f.baton.run(key, f::body);
      return null;
    });
    paths.put("captureAsync(key)", f -> {
      TaskKey key = TaskKey.forCaller(f.alice, "t");
      CompletableFuture<TaskKey> captured;
      try (Scope request = f.asAlice()) {
        f.expire();
        captured = f.baton.captureAsync(key);
      }
      Throwable failure = failureOfFuture(captured);
      if (failure != null) {
        assertThat(f.store.entries).doesNotContainKey(key);
        return failure;
      }
      f.baton.run(key, f::body);
      return null;
    });
    paths.put("capture() by a longer leeway", f -> {
      TaskKey key = TaskKey.forCaller(f.alice, "t");
      try (Scope request = f.asAlice()) {
        f.expire();
        Throwable failure = failureOf(() -> f.lenient.capture(key));
        if (failure != null) {
          return failure;
        }
      }
      f.lenient.run(key, f::body);
      return null;
    });
    List<Arguments> arguments = new ArrayList<>();
    for (RestoreFailurePolicy policy : RestoreFailurePolicy.values()) {
      paths.forEach((name, path) -> arguments.add(Arguments.of(name, policy, path)));
    }
    return arguments;
  }

  @ParameterizedTest(name = "{0} under {1}")
  @MethodSource("paths")
  void expiredCaller_isDecidedByThePolicy_neverSilentlyNoCaller(
      String name, RestoreFailurePolicy policy, Path path) throws Exception {
    Fixture f = new Fixture(policy);

    Throwable failure = path.attempt(f);

    BatonEvent.Type expected = name.startsWith("capture")
        ? BatonEvent.Type.CAPTURED_EXPIRED : BatonEvent.Type.EXPIRED;
    assertThat(f.events).extracting(BatonEvent::type).as("events").contains(expected);
    if (policy == RestoreFailurePolicy.FAIL) {
      assertThat(f.ran).as("the body ran").isFalse();
      assertThat(failure).isInstanceOfSatisfying(RestoreFailedException.class, e -> {
        assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED);
        assertThat(e.getMessage()).doesNotContain("alice-token");
      });
    } else {
      assertThat(failure).as("failure").isNull();
      assertThat(f.ran).as("the body ran").isTrue();
      assertThat(f.seen).as("caller the body saw").isEmpty();
    }
  }

  /** Queues tasks until {@link #release}, then runs them on the calling thread. */
  static final class HeldExecutorService extends AbstractExecutorService {
    private final List<Runnable> queued = new ArrayList<>();
    private boolean shutdown;

    @Override
    public synchronized void execute(Runnable command) {
      queued.add(command);
    }

    /** Runs what is queued; returns the first failure a task threw, or null. */
    @Nullable Throwable release() {
      List<Runnable> tasks;
      synchronized (this) {
        tasks = new ArrayList<>(queued);
        queued.clear();
      }
      Throwable first = null;
      for (Runnable task : tasks) {
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          first = first == null ? e : first;
        }
      }
      return first;
    }

    @Override
    public synchronized void shutdown() {
      shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
      shutdown = true;
      return new ArrayList<>(queued);
    }

    @Override
    public synchronized boolean isShutdown() {
      return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return isTerminated();
    }
  }
}
