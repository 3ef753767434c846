package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.CleanupPolicy;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a task's snapshot leaves the store, per {@link CleanupPolicy}. */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class CleanupPolicyTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final AccessToken alice = Tokens.of("cleanup-alice-jwt", "alice");

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }

  private Baton baton(CleanupPolicy policy) {
    return Baton.builder().store(store).clock(time.clock).cleanupPolicy(policy)
        .listener(events::add).build();
  }

  private Baton defaultBaton() {
    return Baton.builder().store(store).clock(time.clock).listener(events::add).build();
  }

  private TaskKey capture(Baton baton) {
    return baton.capture(TaskKey.forCaller(alice, "job"), alice);
  }

  private TaskKey lastCapturedKey() {
    return events.stream().filter(e -> e.type() == BatonEvent.Type.CAPTURED)
        .reduce((first, second) -> second).orElseThrow().key();
  }

  private static void fail() {
    throw new IllegalStateException("job failed");
  }

  @Test
  void defaultPolicy_deletesTheSnapshotAfterCompletion() {
    Baton baton = defaultBaton();
    TaskKey key = capture(baton);

    baton.run(key, () -> { });

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void defaultPolicy_deletesTheSnapshotAfterAFailedTask() {
    Baton baton = defaultBaton();
    TaskKey key = capture(baton);

    assertThatThrownBy(() -> baton.run(key, CleanupPolicyTest::fail))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void defaultPolicy_publishesDeleted() {
    Baton baton = defaultBaton();
    TaskKey key = capture(baton);

    baton.run(key, () -> { });

    assertThat(events).extracting(BatonEvent::type).containsExactly(
        BatonEvent.Type.CAPTURED, BatonEvent.Type.RESTORED, BatonEvent.Type.DELETED);
  }

  @Test
  void deleteOnSuccess_keepsTheSnapshotAfterAFailedTask() {
    Baton baton = baton(CleanupPolicy.DELETE_ON_SUCCESS);
    TaskKey key = capture(baton);

    assertThatThrownBy(() -> baton.run(key, CleanupPolicyTest::fail))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store.load(key)).isPresent();
  }

  @Test
  void deleteOnSuccess_retriedJob_runsAsTheSameCaller() {
    Baton baton = baton(CleanupPolicy.DELETE_ON_SUCCESS);
    TaskKey key = capture(baton);
    assertThatThrownBy(() -> baton.run(key, CleanupPolicyTest::fail))
        .isInstanceOf(IllegalStateException.class);

    AccessToken[] seen = new AccessToken[1];
    baton.run(key, () -> seen[0] = Baton.currentToken().orElse(null));

    assertThat(seen[0]).isEqualTo(alice);
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void deleteOnSuccess_deletesTheSnapshotAfterSuccess() {
    Baton baton = baton(CleanupPolicy.DELETE_ON_SUCCESS);
    TaskKey key = capture(baton);

    baton.run(key, () -> { });

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void deleteOnSuccess_callThatThrows_keepsTheSnapshot() {
    Baton baton = baton(CleanupPolicy.DELETE_ON_SUCCESS);
    TaskKey key = capture(baton);

    Throwable thrown = catchThrowable(() -> baton.call(key, () -> {
      throw new java.io.IOException("downstream failed");
    }));

    assertThat(thrown).isInstanceOf(java.io.IOException.class);
    assertThat(store.load(key)).isPresent();
  }

  @Test
  void deleteOnSuccess_enterWithoutMarkSucceeded_keepsTheSnapshot() {
    Baton baton = baton(CleanupPolicy.DELETE_ON_SUCCESS);
    TaskKey key = capture(baton);

    try (TaskScope scope = baton.enter(key)) {
      // the task body did not reach markSucceeded()
    }

    assertThat(store.load(key)).isPresent();
  }

  @Test
  void deleteOnSuccess_enterWithMarkSucceeded_deletesTheSnapshot() {
    Baton baton = baton(CleanupPolicy.DELETE_ON_SUCCESS);
    TaskKey key = capture(baton);

    try (TaskScope scope = baton.enter(key)) {
      scope.markSucceeded();
    }

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void ttlOnly_keepsTheSnapshotAfterCompletion_untilItsTtl() {
    Baton baton = Baton.builder().store(store).clock(time.clock)
        .cleanupPolicy(CleanupPolicy.TTL_ONLY).snapshotTtl(Duration.ofMinutes(10)).build();
    TaskKey key = capture(baton);

    baton.run(key, () -> { });
    assertThat(store.load(key)).isPresent();

    time.advance(Duration.ofMinutes(10));

    assertThat(store.load(key)).isEmpty();
  }
}
