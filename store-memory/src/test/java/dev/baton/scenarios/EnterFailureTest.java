package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SnapshotDecodeException;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failing enter (the store throws, or the snapshot is missing under the fail policy) leaves
 * nothing on the thread, raises a clear exception, and does not affect the next task on the same
 * pooled thread; closing a cleanly opened scope never throws.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class EnterFailureTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.builder()
      .ticker(time.ticker).codec(JsonSnapshotCodec.create()).build();
  private final Baton baton = Baton.builder().store(store).clock(time.clock).build();
  private final ExecutorService pooled = Executors.newSingleThreadExecutor();
  private final AccessToken alice = Tokens.of("enter-alice-jwt", "alice");
  private final AccessToken bob = Tokens.of("enter-bob-jwt", "bob");

  @AfterEach
  void tearDown() throws InterruptedException {
    pooled.shutdownNow();
    pooled.awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }

  private TaskKey corrupted(String id) {
    TaskKey key = TaskKey.forCaller(alice, id);
    store.putRawValue(key, "{not json".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5));
    return key;
  }

  private static Optional<TaskContext> plainTaskContext() {
    return TaskContext.current();
  }

  @Test
  void enter_whenStoreThrows_raisesRestoreFailedNamingTheKey() {
    TaskKey key = corrupted("t1");

    assertThatThrownBy(() -> baton.enter(key))
        .isInstanceOfSatisfying(RestoreFailedException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.STORE_FAILED);
        })
        .hasMessageContaining(key.toString())
        .hasCauseInstanceOf(SnapshotDecodeException.class);
  }

  @Test
  void enter_whenStoreThrows_leavesNothingOnTheThread() {
    TaskKey key = corrupted("t1");

    assertThatThrownBy(() -> baton.enter(key)).isInstanceOf(RestoreFailedException.class);

    assertThat(Baton.currentToken()).isEmpty();
    assertThat(TaskContext.current()).isEmpty();
  }

  @Test
  void enter_whenStoreThrows_keepsTheThreadsPreviousBinding() {
    TaskKey key = corrupted("t1");

    try (Scope request = baton.bindRequest(bob)) {
      assertThatThrownBy(() -> baton.enter(key)).isInstanceOf(RestoreFailedException.class);

      assertThat(Baton.currentToken()).contains(bob);
      assertThat(TaskContext.current()).isEmpty();
    }
  }

  @Test
  void enter_whenSnapshotMissing_underFailPolicy_raisesRestoreFailedWithReasonMissing() {
    TaskKey key = TaskKey.forCaller(alice, "never-captured");

    assertThatThrownBy(() -> baton.enter(key))
        .isInstanceOfSatisfying(RestoreFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.MISSING))
        .hasMessageContaining(key.toString());
    assertThat(TaskContext.current()).isEmpty();
  }

  @Test
  void enter_whenStoreClosed_raisesRestoreFailedAndLeavesNothingOnTheThread() {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t1"), alice);
    store.close();

    assertThatThrownBy(() -> baton.enter(key))
        .isInstanceOfSatisfying(RestoreFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.STORE_FAILED))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(Baton.currentToken()).isEmpty();
    assertThat(TaskContext.current()).isEmpty();
  }

  @Test
  void run_whenStoreThrows_doesNotRunTheBody() {
    TaskKey key = corrupted("t1");
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> baton.run(key, () -> ran.set(true)))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(ran).isFalse();
  }

  @Test
  void run_whenStoreThrows_nextPlainTaskOnTheSamePooledThreadSeesNothing() throws Exception {
    TaskKey key = corrupted("t1");
    Thread[] threads = new Thread[2];

    Throwable failure = catchThrowable(() -> pooled.submit(() -> {
      threads[0] = Thread.currentThread();
      baton.run(key, () -> { });
    }).get(10, TimeUnit.SECONDS));
    Optional<AccessToken> token = pooled.submit(() -> {
      threads[1] = Thread.currentThread();
      return Baton.currentToken();
    }).get(10, TimeUnit.SECONDS);
    Optional<TaskContext> context =
        pooled.submit(EnterFailureTest::plainTaskContext).get(10, TimeUnit.SECONDS);

    assertThat(failure).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RestoreFailedException.class);
    assertThat(threads[1]).isSameAs(threads[0]);
    assertThat(token).isEmpty();
    assertThat(context).isEmpty();
  }

  @Test
  void run_whenStoreThrows_nextRestoredTaskOnTheSamePooledThreadSeesItsOwnCaller()
      throws Exception {
    TaskKey broken = corrupted("t1");
    TaskKey good = baton.capture(TaskKey.forCaller(bob, "t2"), bob);

    pooled.submit(() -> {
      try {
        baton.run(broken, () -> { });
      } catch (RestoreFailedException expected) {
        // the failure is what this task is for
      }
    }).get(10, TimeUnit.SECONDS);
    Optional<AccessToken> seen =
        pooled.submit(() -> baton.call(good, Baton::currentToken)).get(10, TimeUnit.SECONDS);

    assertThat(seen).contains(bob);
  }

  @Test
  void close_whenTheStoreFailsDuringCleanup_neverThrowsAndCleansTheThread() {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t1"), alice);
    TaskScope scope = baton.enter(key);
    store.close(); // cleanup's delete now throws IllegalStateException

    assertThatCode(scope::close).doesNotThrowAnyException();
    assertThat(Baton.currentToken()).isEmpty();
    assertThat(TaskContext.current()).isEmpty();
  }

  @Test
  void close_afterTheTaskThrew_neverThrowsAndCleansTheThread() {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t1"), alice);

    assertThatThrownBy(() -> baton.run(key, () -> {
      throw new IllegalStateException("task failed");
    })).isInstanceOf(IllegalStateException.class).hasMessage("task failed");
    assertThat(Baton.currentToken()).isEmpty();
    assertThat(TaskContext.current()).isEmpty();
  }
}
