package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No inherited identity: entering a task overwrites whatever the worker thread held, and nested
 * scopes give back the outer values in the right order.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class IdentityIsolationTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final Baton baton =
      Baton.builder().store(store).clock(time.clock).listener(events::add).build();
  private final ExecutorService pooled = Executors.newSingleThreadExecutor();
  private final AccessToken alice = Tokens.of("isolation-alice-jwt", "alice");
  private final AccessToken bob = Tokens.of("isolation-bob-jwt", "bob");

  @AfterEach
  void tearDown() throws InterruptedException {
    pooled.shutdownNow();
    pooled.awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }

  private TaskKey capture(AccessToken caller, String id) {
    return baton.capture(TaskKey.forCaller(caller, id), caller);
  }

  @Test
  void anonymousTask_onAThreadThatJustRanAnAuthenticatedTask_seesNoToken() throws Exception {
    ExecutorService wrapped = baton.wrap(pooled);
    Thread[] threads = new Thread[2];

    Optional<AccessToken> first;
    try (Scope request = baton.bindRequest(alice)) {
      first = wrapped.submit(() -> {
        threads[0] = Thread.currentThread();
        return Baton.currentToken();
      }).get(10, TimeUnit.SECONDS);
    }
    Optional<AccessToken> second = wrapped.submit(() -> {
      threads[1] = Thread.currentThread();
      return Baton.currentToken();
    }).get(10, TimeUnit.SECONDS);

    assertThat(threads[1]).isSameAs(threads[0]);
    assertThat(first).contains(alice);
    assertThat(second).isEmpty();
  }

  @Test
  void anonymousTask_onAThreadWithALeakedRequestBinding_seesNoToken() throws Exception {
    // App code on the pooled thread forgot to close a request scope for alice.
    pooled.submit(() -> baton.bindRequest(alice)).get(10, TimeUnit.SECONDS);
    TaskKey anonymous = capture(null, "anon");

    Optional<AccessToken> seen =
        pooled.submit(() -> baton.call(anonymous, Baton::currentToken)).get(10, TimeUnit.SECONDS);

    assertThat(seen).isEmpty();
  }

  @Test
  void task_onAThreadWithALeakedRequestBinding_seesItsOwnCaller() throws Exception {
    pooled.submit(() -> baton.bindRequest(alice)).get(10, TimeUnit.SECONDS);
    TaskKey bobsTask = capture(bob, "t");

    Optional<AccessToken> seen =
        pooled.submit(() -> baton.call(bobsTask, Baton::currentToken)).get(10, TimeUnit.SECONDS);

    assertThat(seen).contains(bob);
  }

  @Test
  void nestedScopes_restoreTheOuterValuesInTheRightOrder() {
    TaskKey aliceTask = capture(alice, "outer");
    TaskKey anonymousTask = capture(null, "middle");

    try (Scope request = baton.bindRequest(bob)) {
      assertThat(Baton.currentToken()).contains(bob);
      try (TaskScope outer = baton.enter(aliceTask)) {
        assertThat(Baton.currentToken()).contains(alice);
        try (TaskScope middle = baton.enter(anonymousTask)) {
          assertThat(Baton.currentToken()).isEmpty();
          assertThat(TaskContext.current().map(TaskContext::key)).contains(anonymousTask);
          try (Scope inner = baton.bindRequest(bob)) {
            assertThat(Baton.currentToken()).contains(bob);
            assertThat(TaskContext.current().map(TaskContext::key)).contains(anonymousTask);
          }
          assertThat(Baton.currentToken()).isEmpty();
        }
        assertThat(Baton.currentToken()).contains(alice);
        assertThat(TaskContext.current().map(TaskContext::key)).contains(aliceTask);
      }
      assertThat(Baton.currentToken()).contains(bob);
      assertThat(TaskContext.current()).isEmpty();
    }
    assertThat(Baton.currentToken()).isEmpty();
  }

  @Test
  void outOfOrderClose_ofNestedTaskScopes_leavesTheThreadClean() {
    TaskScope outer = baton.enter(capture(alice, "outer"));
    TaskScope inner = baton.enter(capture(bob, "inner"));

    outer.close();
    inner.close();

    assertThat(Baton.currentToken()).isEmpty();
    assertThat(TaskContext.current()).isEmpty();
  }

  @Test
  void outOfOrderClose_ofNestedTaskScopes_restoresWhatTheOuterFound() {
    try (Scope request = baton.bindRequest(bob)) {
      TaskScope outer = baton.enter(capture(alice, "outer"));
      TaskScope inner = baton.enter(capture(null, "inner"));

      outer.close();
      assertThat(Baton.currentToken()).contains(bob);
      inner.close();

      assertThat(Baton.currentToken()).contains(bob);
      assertThat(TaskContext.current()).isEmpty();
    }
  }

  @Test
  void outOfOrderClose_stillCleansUpBothSnapshots() {
    TaskKey outerKey = capture(alice, "outer");
    TaskKey innerKey = capture(bob, "inner");
    TaskScope outer = baton.enter(outerKey);
    TaskScope inner = baton.enter(innerKey);

    outer.close();
    inner.close();

    assertThat(store.load(outerKey)).isEmpty();
    assertThat(store.load(innerKey)).isEmpty();
  }

  @Test
  void taskScope_closedTwice_isHarmlessAndCleansUpOnce() {
    TaskKey key = capture(alice, "t");

    try (Scope request = baton.bindRequest(bob)) {
      TaskScope scope = baton.enter(key);
      scope.close();
      scope.close();

      assertThat(Baton.currentToken()).contains(bob);
    }
    assertThat(events.stream().filter(e -> e.type() == BatonEvent.Type.DELETED)).hasSize(1);
  }
}
