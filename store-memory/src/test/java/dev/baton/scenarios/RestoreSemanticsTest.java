package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailedException;
import dev.baton.RestoreFailurePolicy;
import dev.baton.RestoreMode;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Items 6, 7, 8 and 10, and the optional store: at-most-once restore, never deleting what a task did
 * not restore, a store answering null, extreme settings.
 */
@SuppressWarnings("try")
class RestoreSemanticsTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore memory =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final AccessToken alice = Tokens.of("semantics-alice-jwt", "alice");

  @AfterEach
  void tearDown() {
    memory.close();
    assertThat(Baton.isBound()).isFalse();
  }

  /** A real store whose next loads can be made to fail or to answer null, as a broken store does. */
  static final class UnreliableStore implements TokenSnapshotStore {
    final TokenSnapshotStore delegate;
    final AtomicInteger failNextLoads = new AtomicInteger();
    final AtomicBoolean answerNull = new AtomicBoolean();
    final Capabilities capabilities;

    UnreliableStore(TokenSnapshotStore delegate, Capabilities capabilities) {
      this.delegate = delegate;
      this.capabilities = capabilities;
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      delegate.save(key, snapshot, ttl);
    }

    @SuppressWarnings("NullAway")
    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      if (answerNull.get()) {
        return null;
      }
      if (failNextLoads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new TokenStoreException("timeout talking to the backend");
      }
      return delegate.load(key);
    }

    @Override
    public boolean delete(TaskKey key) {
      return delegate.delete(key);
    }

    @SuppressWarnings("NullAway")
    @Override
    public Optional<TokenSnapshot> take(TaskKey key) {
      return answerNull.get() ? null : delegate.take(key);
    }

    @Override
    public Capabilities capabilities() {
      return capabilities;
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  private UnreliableStore unreliable() {
    return new UnreliableStore(memory, TokenSnapshotStore.Capabilities.ALL);
  }

  // ------------------------------------------------------------------ 6: at most once

  @Test
  void take_eightThreadsRacingOnOneKey_runTheBodyAtMostOnce() throws Exception {
    Baton baton = Baton.builder().store(memory).restoreMode(RestoreMode.TAKE).build();
    ExecutorService racers = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 50; round++) {
        TaskKey key = baton.capture(TaskKey.forCaller(alice, "job-" + round), alice);
        AtomicInteger bodies = new AtomicInteger();
        AtomicInteger missing = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          runs.add(racers.submit(() -> {
            start.await();
            try {
              baton.run(key, () -> {
                assertThat(Baton.currentToken()).contains(alice);
                bodies.incrementAndGet();
              });
            } catch (RestoreFailedException e) {
              assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.MISSING);
              missing.incrementAndGet();
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> run : runs) {
          run.get(60, TimeUnit.SECONDS);
        }
        assertThat(bodies.get()).isEqualTo(1);
        assertThat(missing.get()).isEqualTo(7);
        assertThat(memory.load(key)).isEmpty();
      }
    } finally {
      racers.shutdownNow();
    }
  }

  @Test
  void load_isTheDefault_andARedeliveredJobStillFindsItsCallerUnderDeleteOnSuccess() {
    Baton baton = Baton.builder().store(memory)
        .cleanupPolicy(CleanupPolicy.DELETE_ON_SUCCESS).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "retried"), alice);

    assertThatThrownBy(() -> baton.run(key, () -> {
      throw new IllegalStateException("first delivery fails");
    })).hasMessage("first delivery fails");
    AtomicBoolean ran = new AtomicBoolean();
    baton.run(key, () -> ran.set(Baton.currentToken().equals(Optional.of(alice))));

    assertThat(ran).isTrue();
  }

  @Test
  void take_withAStoreThatDoesNotDeclareTake_isRefusedAtBuild_namingTheStore() {
    UnreliableStore noTake = new UnreliableStore(memory, TokenSnapshotStore.Capabilities.NONE);

    assertThatThrownBy(() -> Baton.builder().store(noTake).restoreMode(RestoreMode.TAKE).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("take").hasMessageContaining(UnreliableStore.class.getName());
  }

  @Test
  void take_withoutAStore_isRefusedAtBuild() {
    assertThatThrownBy(() -> Baton.builder().restoreMode(RestoreMode.TAKE).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no store");
  }

  @Test
  void take_withRunUnauthenticated_isRefusedAtBuild() {
    assertThatThrownBy(() -> Baton.builder().store(memory).restoreMode(RestoreMode.TAKE)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAIL");
  }

  @Test
  void take_withACleanupPolicyThatKeepsSnapshots_isRefusedAtBuild() {
    assertThatThrownBy(() -> Baton.builder().store(memory).restoreMode(RestoreMode.TAKE)
        .cleanupPolicy(CleanupPolicy.DELETE_ON_SUCCESS).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("DELETE_ON_SUCCESS");
  }

  // ------------------------------------------------------------------ 7: never delete unrestored

  @Test
  void runUnauthenticated_afterATransientLoadFailure_keepsTheSnapshotForTheRetry() {
    UnreliableStore store = unreliable();
    Baton baton = Baton.builder().store(store)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).listener(events::add)
        .build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "transient"), alice);
    store.failNextLoads.set(1);

    AtomicBoolean firstRanAnonymous = new AtomicBoolean();
    baton.run(key, () -> firstRanAnonymous.set(Baton.currentToken().isEmpty()));

    assertThat(firstRanAnonymous).isTrue();
    assertThat(memory.load(key)).isPresent();
    assertThat(events).extracting(BatonEvent::type).doesNotContain(BatonEvent.Type.DELETED);
    AtomicBoolean retryRanAsAlice = new AtomicBoolean();
    baton.run(key, () -> retryRanAsAlice.set(Baton.currentToken().equals(Optional.of(alice))));
    assertThat(retryRanAsAlice).isTrue();
    assertThat(memory.load(key)).isEmpty();
  }

  @Test
  void fail_afterATransientLoadFailure_keepsTheSnapshot() {
    UnreliableStore store = unreliable();
    Baton baton = Baton.builder().store(store).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "transient-fail"), alice);
    store.failNextLoads.set(1);

    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOf(RestoreFailedException.class);

    assertThat(memory.load(key)).isPresent();
  }

  // ------------------------------------------------------------------ 8: null from load

  @Test
  void loadReturningNull_underFail_isStoreFailed_namingTheStoresClass() {
    UnreliableStore store = unreliable();
    Baton baton = Baton.builder().store(store).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "null"), alice);
    store.answerNull.set(true);

    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOfSatisfying(RestoreFailedException.class, e -> assertThat(e.reason())
            .isEqualTo(RestoreFailedException.Reason.STORE_FAILED))
        .hasMessageContaining(UnreliableStore.class.getName());
  }

  @Test
  void loadReturningNull_underRunUnauthenticated_runsAnonymous_reportsStoreFailed() {
    UnreliableStore store = unreliable();
    Baton baton = Baton.builder().store(store)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).listener(events::add)
        .build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "null-anon"), alice);
    store.answerNull.set(true);

    AtomicBoolean anonymous = new AtomicBoolean();
    baton.run(key, () -> anonymous.set(Baton.currentToken().isEmpty()));

    assertThat(anonymous).isTrue();
    BatonEvent failed = events.stream()
        .filter(e -> e.type() == BatonEvent.Type.RESTORE_FAILED).findFirst().orElseThrow();
    assertThat(failed.error()).hasMessageContaining(UnreliableStore.class.getName());
    assertThat(memory.load(key)).isPresent();
  }

  @Test
  void takeReturningNull_isStoreFailed_namingTheStoresClass() {
    UnreliableStore store = unreliable();
    Baton baton = Baton.builder().store(store).restoreMode(RestoreMode.TAKE).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "null-take"), alice);
    store.answerNull.set(true);

    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining(UnreliableStore.class.getName()).hasMessageContaining("take");
  }

  // ------------------------------------------------------------------ 10: extreme settings

  private void roundTrip(Baton baton, AccessToken caller) {
    TaskKey key;
    try (Scope request = baton.bindRequest(caller)) {
      key = baton.capture();
    }
    AtomicBoolean sawCaller = new AtomicBoolean();
    baton.run(key, () -> sawCaller.set(Baton.currentToken().equals(Optional.of(caller))));
    assertThat(sawCaller).isTrue();
  }

  @Test
  void leewayForever_withAnExpiringToken_capturesAndRestores() {
    Baton baton = Baton.builder().store(memory).clock(time.clock)
        .leeway(ChronoUnit.FOREVER.getDuration()).build();
    AccessToken expiring = Tokens.expiringAt("forever-jwt", "alice", time.now().plusSeconds(1));

    assertThatCode(() -> roundTrip(baton, expiring)).doesNotThrowAnyException();
  }

  @Test
  void snapshotTtlForever_capturesAndRestores() {
    Baton baton = Baton.builder().store(memory).clock(time.clock)
        .snapshotTtl(ChronoUnit.FOREVER.getDuration()).build();

    assertThatCode(() -> roundTrip(baton, alice)).doesNotThrowAnyException();
  }

  @Test
  void expiryNearInstantMax_withLeewayForever_capturesAndRestores() {
    Baton baton = Baton.builder().store(memory).clock(time.clock)
        .leeway(ChronoUnit.FOREVER.getDuration())
        .snapshotTtl(ChronoUnit.FOREVER.getDuration()).build();
    AccessToken farFuture = Tokens.expiringAt("far-jwt", "alice", Instant.MAX);

    assertThatCode(() -> roundTrip(baton, farFuture)).doesNotThrowAnyException();
  }

  @Test
  void clockNearInstantMin_tokenNearInstantMax_capturesAndRestores() {
    Baton baton = Baton.builder().store(memory).clock(new MutableClock(Instant.MIN))
        .leeway(ChronoUnit.FOREVER.getDuration()).build();
    AccessToken farFuture = Tokens.expiringAt("span-jwt", "alice", Instant.MAX);

    assertThatCode(() -> roundTrip(baton, farFuture)).doesNotThrowAnyException();
  }

  // ------------------------------------------------------------------ optional store, events

  @Test
  void noStore_inProcessWrapWorks_andStoreOperationsFailClearly() throws Exception {
    Baton baton = Baton.builder().build();
    ExecutorService pool = baton.wrap(Executors.newSingleThreadExecutor());
    try (Scope request = baton.bindRequest(alice)) {
      assertThat(pool.submit(Baton::currentToken).get(30, TimeUnit.SECONDS)).contains(alice);
      TaskKey key = TaskKey.forCaller(alice, "x");
      assertThatThrownBy(baton::capture).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("store");
      assertThatThrownBy(() -> baton.capture(key)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> baton.enter(key)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("store");
      assertThatThrownBy(() -> baton.run(key, () -> { }))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> baton.call(key, () -> "x"))
          .isInstanceOf(IllegalStateException.class);
      assertThat(Baton.currentToken()).contains(alice);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void capture_onAThreadWithNoCaller_storesAnonymous_andPublishesCapturedAnonymous() {
    Baton baton = Baton.builder().store(memory).listener(events::add).build();

    TaskKey key = baton.capture();

    assertThat(memory.load(key)).hasValueSatisfying(s -> assertThat(s.isAnonymous()).isTrue());
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.CAPTURED_ANONYMOUS);
  }

  @Test
  void capture_ofAnExpiredToken_stillPublishesCapturedExpired() {
    Baton baton = Baton.builder().store(memory).clock(time.clock).listener(events::add).build();
    AccessToken expired = Tokens.expiringAt("expired-jwt", "alice", time.now().minusSeconds(1));

    assertThatThrownBy(() -> baton.capture(TaskKey.forCaller(expired, "e"), expired))
        .isInstanceOf(dev.baton.RestoreFailedException.class);

    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.CAPTURED_EXPIRED);
  }

  @Test
  void tokenWithNumericSub_capturedByTwoUsers_neverRunsAsTheOther() {
    Baton baton = Baton.builder().store(memory).build();
    AccessToken ann = new AccessToken("ann-jwt", "app", List.of(), null, null, Map.of("sub", 1001));
    AccessToken ben = new AccessToken("ben-jwt", "app", List.of(), null, null, Map.of("sub", 1002));
    TaskKey annsJob = baton.capture(TaskKey.forCaller(ann, "order-7"), ann);
    baton.capture(TaskKey.forCaller(ben, "order-7"), ben);

    AtomicBoolean ranAsAnn = new AtomicBoolean();
    baton.run(annsJob, () -> ranAsAnn.set(Baton.currentToken().equals(Optional.of(ann))));

    assertThat(ranAsAnn).isTrue();
  }
}
