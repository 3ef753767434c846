package dev.baton.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.RestoreFailedException;
import dev.baton.RestoreFailurePolicy;
import dev.baton.RestoreMode;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stores and listeners that throw Errors, answer null or are slow: the thread stays clean. */
class StoreMisbehaviourTest {
  private final MemoryTokenSnapshotStore memory = MemoryTokenSnapshotStore.create();
  private final AccessToken alice = Adversaries.token("misbehave-alice-secret-jwt", "alice");

  @AfterEach
  void clean() {
    memory.close();
    assertThat(Baton.isBound()).isFalse();
  }

  /** A store that delegates to memory, except where a hook says otherwise. */
  private final class HookedStore implements TokenSnapshotStore {
    volatile @Nullable Function<TaskKey, Optional<TokenSnapshot>> onLoad;
    volatile @Nullable Function<TaskKey, Optional<TokenSnapshot>> onTake;
    volatile @Nullable Error onDelete;

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      memory.save(key, snapshot, ttl);
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      var hook = onLoad;
      return hook == null ? memory.load(key) : hook.apply(key);
    }

    @Override
    public boolean delete(TaskKey key) {
      Error e = onDelete;
      if (e != null) {
        onDelete = null;
        throw e;
      }
      return memory.delete(key);
    }

    @Override
    public Optional<TokenSnapshot> take(TaskKey key) {
      var hook = onTake;
      return hook == null ? memory.take(key) : hook.apply(key);
    }

    @Override
    public Capabilities capabilities() {
      return new Capabilities(false, true);
    }

    @Override
    public void close() {}
  }

  private final HookedStore store = new HookedStore();

  @Test
  void loadThrowingOutOfMemoryError_propagates_threadUnchanged_snapshotKept() {
    Baton baton = Baton.builder().store(store)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "oom"), alice);
    store.onLoad = k -> {
      throw new OutOfMemoryError("simulated");
    };
    try (Scope outer = baton.bindRequest(null)) {
      assertThatThrownBy(() -> baton.enter(key)).isInstanceOf(OutOfMemoryError.class);
      assertThat(Baton.currentToken()).isEmpty();
      assertThat(baton.bindRequest(alice)).isNotNull().satisfies(Scope::close);
    }
    assertThat(memory.load(key)).isPresent();
  }

  @Test
  void deleteThrowingStackOverflowError_threadRestored_laterCloseDeletes() {
    Baton baton = Baton.builder().store(store).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "soe"), alice);
    TaskScope scope = baton.enter(key);
    store.onDelete = new StackOverflowError("simulated");
    assertThatThrownBy(scope::close).isInstanceOf(StackOverflowError.class);
    assertThat(Baton.isBound()).isFalse();
    assertThat(memory.load(key)).isPresent();
    scope.close();
    assertThat(memory.load(key)).isEmpty();
  }

  @Test
  void nullFromLoad_underRunUnauthenticated_runsAnonymous_neverDeletes() {
    Baton baton = Baton.builder().store(store)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "null"), alice);
    store.onLoad = k -> null;
    List<Optional<AccessToken>> seen = new ArrayList<>();
    baton.run(key, () -> seen.add(Baton.currentToken()));
    assertThat(seen).containsExactly(Optional.empty());
    assertThat(memory.load(key)).isPresent();
  }

  @Test
  void nullFromTake_isStoreFailed_namingStoreClass() {
    Baton baton = Baton.builder().store(store).restoreMode(RestoreMode.TAKE).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "nulltake"), alice);
    store.onTake = k -> null;
    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOfSatisfying(RestoreFailedException.class, e -> {
          assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.STORE_FAILED);
          assertThat(e.getMessage()).contains(HookedStore.class.getName());
        });
  }

  @Test
  void runUnauthenticated_afterFailedLoad_neverDeletes_evenWhenTaskSucceeds() {
    Baton baton = Baton.builder().store(store)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "transient"), alice);
    AtomicInteger loads = new AtomicInteger();
    store.onLoad = k -> {
      if (loads.getAndIncrement() == 0) {
        throw new IllegalStateException("timed out");
      }
      return memory.load(k);
    };
    List<Optional<AccessToken>> seen = new ArrayList<>();
    baton.run(key, () -> seen.add(Baton.currentToken()));
    baton.run(key, () -> seen.add(Baton.currentToken()));
    assertThat(seen).containsExactly(Optional.empty(), Optional.of(alice));
    assertThat(memory.load(key)).isEmpty();
  }

  @Test
  void takeMode_slowTake_eightRacers_bodyRunsOnce() throws Exception {
    Baton baton = Baton.builder().store(store).restoreMode(RestoreMode.TAKE).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "race"), alice);
    CountDownLatch allInTake = new CountDownLatch(8);
    store.onTake = k -> {
      allInTake.countDown();
      try {
        allInTake.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return memory.take(k);
    };
    AtomicInteger bodies = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> {
          try {
            baton.run(key, () -> {
              assertThat(Baton.currentToken()).contains(alice);
              bodies.incrementAndGet();
            });
            return !Baton.isBound();
          } catch (RestoreFailedException e) {
            return e.reason() == RestoreFailedException.Reason.MISSING && !Baton.isBound();
          }
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(bodies).hasValue(1);
  }

  @Test
  void listenerThrowingError_onRestored_loadMode_threadClean_snapshotKept() {
    Baton baton = Baton.builder().store(store).listener(event -> {
      if (event.type() == BatonEvent.Type.RESTORED) {
        throw new AssertionError("listener bug");
      }
    }).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "listener"), alice);
    assertThatThrownBy(() -> baton.run(key, () -> { })).isInstanceOf(AssertionError.class);
    assertThat(Baton.isBound()).isFalse();
    assertThat(memory.load(key)).isPresent();
  }

  @Test
  void listenerThrowingRuntime_everywhere_taskStillRunsAsCaller_andCleans() {
    Baton baton = Baton.builder().store(store).listener(event -> {
      throw new IllegalStateException("listener always fails");
    }).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "listener2"), alice);
    List<Optional<AccessToken>> seen = new ArrayList<>();
    baton.run(key, () -> seen.add(Baton.currentToken()));
    assertThat(seen).containsExactly(Optional.of(alice));
    assertThat(memory.load(key)).isEmpty();
  }

  @Test
  void pendingInterrupt_memoryStore_restoresAndKeepsFlag() {
    Baton baton = Baton.builder().store(store).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "interrupt"), alice);
    Thread.currentThread().interrupt();
    try {
      List<Optional<AccessToken>> seen = new ArrayList<>();
      baton.run(key, () -> seen.add(Baton.currentToken()));
      assertThat(seen).containsExactly(Optional.of(alice));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
