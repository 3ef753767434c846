package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A frame whose scope ended abnormally: its close set {@link ContextStorage.Frame#ended} (the
 * first thing a close does, by a field write) and an Error then cut the restore of the thread-local
 * short. Here the Error is simulated by setting the flag alone, exactly the state it leaves; the
 * stack-edge sweeps ({@link EntryPointStackEdgeTest}) produce it for real.
 *
 * <p>The rules: nothing answers from such a frame (or from a frame inside it), the thread acts as
 * it did before the frame was opened, and the next entry point that installs a binding clears it,
 * publishing {@link BatonEvent.Type#BINDING_ABANDONED}.
 */
@SuppressWarnings("try")
class AbandonedFrameTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final MapStore store = new MapStore();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final Baton baton = Baton.builder().store(store).clock(clock).listener(events::add)
      .cleanupPolicy(CleanupPolicy.TTL_ONLY).build();
  private final AccessToken alice = AccessToken.of("alice-token", "client");
  private final AccessToken bob = AccessToken.of("bob-token", "client");

  @AfterEach
  void threadIsClean() {
    assertThat(ContextStorage.isBound()).as("test left a binding on the thread").isFalse();
    assertThat(ContextStorage.holdsAnyFrame()).as("test left a frame on the thread").isFalse();
  }

  /** Opens a request scope for {@code caller} and leaves it as an Error in its close would. */
  private ContextStorage.Frame abandonedRequest(AccessToken caller) {
    ContextStorage.Frame frame = (ContextStorage.Frame) baton.bindRequest(caller);
    frame.ended = true;
    return frame;
  }

  private void assertActsAsNobody() {
    assertThat(Baton.currentToken()).isEmpty();
    assertThat(TaskContext.current()).isEmpty();
    assertThat(CallerBinding.current()).isNull();
    assertThat(CallerBinding.capture().isNone()).isTrue();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void abandonedRequestFrame_isNeverAnsweredFrom() {
    abandonedRequest(alice);

    assertActsAsNobody();
    assertThat(ContextStorage.holdsAnyFrame()).isTrue();
    baton.bindRequest(null).close();
  }

  @Test
  void abandonedRequestFrame_insideAnother_answersAsTheEnclosingFrame() {
    try (Scope outer = baton.bindRequest(bob)) {
      abandonedRequest(alice);

      assertThat(Baton.currentToken()).contains(bob);
      assertThat(CallerBinding.capture().accessToken()).contains(bob);
    }
  }

  @Test
  void frameInsideAnAbandonedFrame_isNotAnsweredFromEither() {
    ContextStorage.Frame outer = (ContextStorage.Frame) baton.bindRequest(alice);
    Scope inner = baton.bindRequest(bob);
    // The outer close began (out of order, as an enclosing scope's close unwinds the inner) and
    // was cut short: the inner frame is still the thread-local's value, but lies inside it.
    outer.ended = true;

    assertActsAsNobody();
    inner.close();
    outer.close();
  }

  @Test
  void abandonedTaskFrame_isNeverAnsweredFrom() {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t"), alice);
    ContextStorage.Frame frame = ContextStorage.enterTask(
        new TaskContext(key, alice, java.util.Map.of(), clock, java.time.Duration.ZERO,
            new CallerRules(RestoreFailurePolicy.FAIL, new BatonEvents(events::add),
                new LocalTaskIds())));
    frame.ended = true;

    assertActsAsNobody();
    baton.bindRequest(null).close();
    assertThat(events).extracting(BatonEvent::type).containsExactly(BatonEvent.Type.CAPTURED,
        BatonEvent.Type.BINDING_ABANDONED);
    assertThat(events.get(1).key()).isEqualTo(key);
  }

  @Test
  void bindRequest_afterAnAbandonedFrame_clearsIt_andPublishesBindingAbandoned() {
    abandonedRequest(alice);

    try (Scope next = baton.bindRequest(null)) {
      assertThat(Baton.currentToken()).isEmpty();
    }

    assertThat(ContextStorage.holdsAnyFrame()).isFalse();
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.BINDING_ABANDONED);
    assertThat(events.get(0).key().scope()).isEqualTo(Baton.LOCAL_SCOPE);
  }

  @Test
  void enter_afterAnAbandonedFrame_clearsIt() {
    TaskKey key = baton.capture(TaskKey.forCaller(bob, "t"), bob);
    abandonedRequest(alice);

    try (TaskScope task = baton.enter(key)) {
      assertThat(Baton.currentToken()).contains(bob);
    }

    assertThat(ContextStorage.holdsAnyFrame()).isFalse();
    assertThat(events).extracting(BatonEvent::type).contains(BatonEvent.Type.BINDING_ABANDONED);
  }

  @Test
  void run_afterAnAbandonedFrame_clearsIt() {
    TaskKey key = baton.capture(TaskKey.forCaller(bob, "t"), bob);
    abandonedRequest(alice);

    baton.run(key, () -> assertThat(Baton.currentToken()).contains(bob));

    assertThat(ContextStorage.holdsAnyFrame()).isFalse();
    assertThat(events).extracting(BatonEvent::type).contains(BatonEvent.Type.BINDING_ABANDONED);
  }

  @Test
  void install_afterAnAbandonedFrame_clearsIt() {
    CallerBinding ofBob;
    try (Scope request = baton.bindRequest(bob)) {
      ofBob = CallerBinding.capture();
    }
    abandonedRequest(alice);

    try (Scope installed = ofBob.install()) {
      assertThat(Baton.currentToken()).contains(bob);
    }

    assertThat(ContextStorage.holdsAnyFrame()).isFalse();
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.BINDING_ABANDONED);
  }

  @Test
  void wrappedCallback_afterAnAbandonedFrame_clearsIt() {
    Runnable asNobody = CallerBinding.none().wrapRunnable(
        () -> assertThat(Baton.currentToken()).isEmpty());
    abandonedRequest(alice);

    asNobody.run();

    assertThat(ContextStorage.holdsAnyFrame()).isFalse();
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.BINDING_ABANDONED);
  }

  @Test
  void wrappedExecutorTask_onAThreadWithAnAbandonedFrame_clearsItAndRunsAsItsSubmitter()
      throws Exception {
    ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      ExecutorService wrapped = baton.wrap(pool);
      // The pool thread is left with an abandoned frame of alice's, as an overflowing task would.
      pool.submit(() -> abandonedRequest(alice)).get(10, TimeUnit.SECONDS);
      assertThat(pool.submit(Baton::isBound).get(10, TimeUnit.SECONDS)).isFalse();

      java.util.Optional<AccessToken> seen;
      try (Scope request = baton.bindRequest(bob)) {
        seen = wrapped.submit(Baton::currentToken).get(10, TimeUnit.SECONDS);
      }

      assertThat(seen).contains(bob);
      assertThat(pool.submit(ContextStorage::holdsAnyFrame).get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(events).extracting(BatonEvent::type)
          .containsExactly(BatonEvent.Type.BINDING_ABANDONED);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void laterClose_ofAnAbandonedFrame_finishesTheRestore() {
    ContextStorage.Frame frame = abandonedRequest(alice);

    frame.close();

    assertThat(ContextStorage.holdsAnyFrame()).isFalse();
    assertThat(events).isEmpty();
  }

  @Test
  void laterClose_ofAnAbandonedFrameAlreadyCleared_changesNothing() {
    ContextStorage.Frame frame = abandonedRequest(alice);
    try (Scope next = baton.bindRequest(bob)) {
      frame.close();

      assertThat(Baton.currentToken()).contains(bob);
    }
  }

  @Test
  void innerScopeOpenedOverAnAbandonedFrame_restoresTheLiveParentOnClose() {
    try (Scope outer = baton.bindRequest(bob)) {
      abandonedRequest(alice);
      try (Scope inner = baton.bindRequest(null)) {
        assertThat(Baton.currentToken()).isEmpty();
      }

      assertThat(Baton.currentToken()).contains(bob);
    }
  }

  @Test
  void openFailure_afterTheThreadLocalWasSet_endsTheFrameBeforeRollingBack() {
    // What ContextStorage.install does when ThreadLocal.set throws after storing the value and the
    // rollback itself then fails: the frame is already ended, so the thread acts as before.
    ContextStorage.Frame frame = (ContextStorage.Frame) baton.bindRequest(alice);
    frame.ended = true;
    try (Scope outer = baton.bindRequest(bob)) {
      assertThat(Baton.currentToken()).contains(bob);
    }
    assertThat(Baton.currentToken()).isEmpty();
  }
}
