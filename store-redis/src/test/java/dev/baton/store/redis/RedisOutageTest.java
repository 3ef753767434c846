package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.HANG_MARGIN;
import static dev.baton.store.redis.TestSupport.RECOVERY_DEADLINE;
import static dev.baton.store.redis.TestSupport.assertNeverContains;
import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.eventually;
import static dev.baton.store.redis.TestSupport.since;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailedException;
import dev.baton.RestoreFailurePolicy;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenStoreException;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis dies while tasks run, then comes back on the same port. Tasks that cannot restore their
 * caller fail fast under the fail policy and never run as anyone else; the same store instance
 * (never rebuilt) serves again once Redis is back, and snapshots captured before the outage
 * (appendonly, fsync always) restore their callers.
 */
class RedisOutageTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final int TASKS = 8;

  private static RedisServerProcess redis;

  private RedisTokenSnapshotStore store;
  private ExecutorService workers;

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.builder().appendOnly(true).build().start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void open() {
    store = RedisTokenSnapshotStore.builder().uri(redis.uri()).withoutSealing()
        .commandTimeout(TIMEOUT).build();
    workers = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void close() throws InterruptedException {
    workers.shutdownNow();
    assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    store.close();
    if (!redis.isRunning()) {
      redis.restart();
    }
    eventually(RECOVERY_DEADLINE, () -> assertThat(Resp.ping(redis.port(), TIMEOUT)).isTrue());
  }

  /** What one task attempt ended with. */
  record Attempt(TaskKey key, boolean ran, Optional<AccessToken> seen, @Nullable Throwable thrown,
      Duration took) {}

  @Test
  void tasksStartedDuringOutage_underFailPolicy_doNotRun_andFailWithinTheTimeout()
      throws Exception {
    Baton baton = Baton.builder().store(store).build();
    Map<TaskKey, AccessToken> captured = captureCallers(baton, TASKS);
    redis.kill();

    List<Attempt> attempts = runAll(baton, captured.keySet());

    for (Attempt attempt : attempts) {
      assertThat(attempt.ran()).as("task %s ran", attempt.key()).isFalse();
      assertThat(attempt.thrown())
          .isInstanceOf(RestoreFailedException.class)
          .hasMessageContaining(attempt.key().toString())
          .hasCauseInstanceOf(TokenStoreException.class);
      assertThat(((RestoreFailedException) attempt.thrown()).reason())
          .isEqualTo(RestoreFailedException.Reason.STORE_FAILED);
      assertNeverContains(attempt.thrown(), captured.get(attempt.key()).token());
      assertThat(attempt.took()).isLessThanOrEqualTo(TIMEOUT.plus(HANG_MARGIN));
    }
  }

  @Test
  void tasksStartedDuringOutage_underRunUnauthenticated_runWithNoToken_neverAnotherCaller()
      throws Exception {
    Baton baton = Baton.builder()
        .store(store)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED)
        .build();
    Map<TaskKey, AccessToken> captured = captureCallers(baton, TASKS);
    // Every worker thread has just acted for a caller: none of those may leak into the next task.
    runAll(baton, captured.keySet()).forEach(a -> assertThat(a.seen()).isPresent());
    Map<TaskKey, AccessToken> capturedAgain = captureCallers(baton, TASKS);
    redis.kill();

    List<Attempt> attempts = runAll(baton, capturedAgain.keySet());

    for (Attempt attempt : attempts) {
      assertThat(attempt.ran()).isTrue();
      assertThat(attempt.seen()).as("token seen by task %s", attempt.key()).isEmpty();
      assertThat(attempt.took()).isLessThanOrEqualTo(TIMEOUT.plus(HANG_MARGIN));
    }
  }

  @Test
  void tasksRunningWhenRedisDies_keepTheirOwnCallerToTheEnd() throws Exception {
    Baton baton = Baton.builder().store(store).build();
    Map<TaskKey, AccessToken> captured = captureCallers(baton, 4);
    CountDownLatch entered = new CountDownLatch(captured.size());
    CountDownLatch killed = new CountDownLatch(1);
    Map<TaskKey, Optional<AccessToken>> seenAfterKill = new ConcurrentHashMap<>();
    List<Future<?>> running = new ArrayList<>();
    for (TaskKey key : captured.keySet()) {
      running.add(workers.submit(() -> {
        baton.run(key, () -> {
          entered.countDown();
          await(killed);
          seenAfterKill.put(key, Baton.currentToken());
        });
        return null;
      }));
    }
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    redis.kill();
    killed.countDown();

    for (Future<?> task : running) {
      // Cleanup (DEL) fails now; that is logged, and must neither hang nor throw.
      task.get(TIMEOUT.plus(HANG_MARGIN).toMillis() * 2, TimeUnit.MILLISECONDS);
    }
    captured.forEach((key, caller) -> assertThat(seenAfterKill.get(key)).contains(caller));
  }

  @Test
  void storeOperations_duringOutage_throwTokenStoreExceptionWithinTheTimeout() {
    TaskKey key = TestSupport.key("direct");
    redis.kill();

    for (StoreOperation operation : StoreOperation.values()) {
      long start = System.nanoTime();
      Throwable thrown = catchThrowable(() -> operation.apply(store, key,
          TokenSnapshot.anonymous(Instant.now())));
      Duration took = since(start);

      assertThat(thrown).as(operation.name()).isInstanceOf(TokenStoreException.class);
      assertThat(took).as(operation.name()).isLessThanOrEqualTo(TIMEOUT.plus(HANG_MARGIN));
    }
  }

  @Test
  void sameStore_afterRedisRestartsOnTheSamePort_capturesAndRestoresAgain() throws Exception {
    Baton baton = Baton.builder().store(store).build();
    redis.kill();
    assertThat(catchThrowable(() -> captureCallers(baton, 1)))
        .isInstanceOf(TokenStoreException.class);
    int port = redis.port();

    redis.restart();
    Map<TaskKey, AccessToken> captured =
        eventually(RECOVERY_DEADLINE, () -> captureCallers(baton, 1));

    assertThat(redis.port()).isEqualTo(port);
    TaskKey key = captured.keySet().iterator().next();
    assertThat(baton.call(key, Baton::currentToken)).contains(captured.get(key));
  }

  @Test
  void snapshotsCapturedBeforeTheOutage_afterRestart_restoreTheirOwnCallers() throws Exception {
    Baton baton = Baton.builder().store(store).build();
    Map<TaskKey, AccessToken> captured = captureCallers(baton, TASKS);
    redis.kill();
    redis.restart();
    eventually(RECOVERY_DEADLINE, () -> store.load(captured.keySet().iterator().next()));

    List<Attempt> attempts = runAll(baton, captured.keySet());

    for (Attempt attempt : attempts) {
      assertThat(attempt.thrown()).isNull();
      assertThat(attempt.seen()).contains(captured.get(attempt.key()));
    }
  }

  /** Captures {@code count} distinct callers, each from its own request binding. */
  private static Map<TaskKey, AccessToken> captureCallers(Baton baton, int count) {
    Map<TaskKey, AccessToken> captured = new ConcurrentHashMap<>();
    for (int i = 0; i < count; i++) {
      AccessToken caller = caller("caller-" + i);
      try (Scope request = baton.bindRequest(caller)) {
        captured.put(baton.capture(), caller);
      }
    }
    return captured;
  }

  /** Runs one task per key on the worker pool, all at once, and reports how each went. */
  private List<Attempt> runAll(Baton baton, Iterable<TaskKey> keys) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Attempt>> futures = new ArrayList<>();
    for (TaskKey key : keys) {
      futures.add(workers.submit(() -> {
        await(start);
        AtomicReference<Optional<AccessToken>> seen = new AtomicReference<>();
        long begin = System.nanoTime();
        Throwable thrown = catchThrowable(() -> baton.run(key, () -> seen.set(Baton.currentToken())));
        Duration took = since(begin);
        return new Attempt(key, seen.get() != null,
            seen.get() == null ? Optional.empty() : seen.get(), thrown, took);
      }));
    }
    start.countDown();
    List<Attempt> attempts = new ArrayList<>();
    for (Future<Attempt> future : futures) {
      attempts.add(future.get(60, TimeUnit.SECONDS));
    }
    return attempts;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
