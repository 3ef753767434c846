package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.CallerBinding;
import dev.baton.RestoreFailedException;
import dev.baton.RestoreFailurePolicy;
import dev.baton.Scope;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatonThreadLocalAccessorTest {
  private final Callers.MutableClock clock = new Callers.MutableClock();
  private final Baton baton = Callers.baton(clock);
  private final AccessToken alice = Callers.token("alice");
  private final AccessToken bob = Callers.token("bob");
  private final ContextSnapshotFactory factory = ContextSnapshotFactory.builder().build();
  private final BatonThreadLocalAccessor accessor = new BatonThreadLocalAccessor();
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void threadIsClean() throws Exception {
    assertThat(Baton.isBound()).as("test thread bound after the test").isFalse();
    assertThat(pool.submit(Baton::isBound).get()).as("pool thread bound after the test").isFalse();
    pool.shutdown();
    assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
  }

  private Optional<AccessToken> onPool(Supplier<Optional<AccessToken>> read) throws Exception {
    return CompletableFuture.supplyAsync(read, pool).get();
  }

  @Test
  void registry_findsTheAccessorWithNoCode() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anySatisfy(a -> assertThat(a).isInstanceOf(BatonThreadLocalAccessor.class));
  }

  @Test
  void key_isTheDocumentedKey() {
    assertThat(accessor.key()).isEqualTo(BatonThreadLocalAccessor.KEY).isEqualTo("dev.baton.caller");
  }

  @Test
  void getValue_unboundThread_isNull() {
    assertThat(accessor.getValue()).isNull();
  }

  @Test
  void captureAll_unboundThread_carriesNoBatonValue() throws Exception {
    ContextSnapshot snapshot = factory.captureAll();
    try (Scope scope = baton.bindRequest(bob)) {
      Optional<AccessToken> seen;
      try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
        seen = Baton.currentToken();
      }
      assertThat(seen).contains(bob);
    }
    java.util.concurrent.Callable<Optional<AccessToken>> read = Baton::currentToken;
    assertThat(pool.submit(snapshot.wrap(read)).get()).isEmpty();
  }

  @Test
  void wrap_runsTheTaskAsTheCallerWhoCaptured() throws Exception {
    Supplier<Optional<AccessToken>> task;
    try (Scope scope = baton.bindRequest(alice)) {
      ContextSnapshot snapshot = factory.captureAll();
      task = () -> {
        try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
          return Baton.currentToken();
        }
      };
    }
    assertThat(onPool(task)).contains(alice);
  }

  @Test
  void wrap_callableOnAnotherThread_seesTheCallerAndLeavesTheThreadClean() throws Exception {
    java.util.concurrent.Callable<Optional<AccessToken>> task;
    try (Scope scope = baton.bindRequest(alice)) {
      task = factory.captureAll().wrap(Baton::currentToken);
    }
    assertThat(pool.submit(task).get()).contains(alice);
    assertThat(pool.submit(Baton::isBound).get()).isFalse();
  }

  @Test
  void setThreadLocals_onThreadBoundToAnother_seesTheCallerThenRestoresTheOther() {
    ContextSnapshot snapshot;
    try (Scope scope = baton.bindRequest(alice)) {
      snapshot = factory.captureAll();
    }
    try (Scope scope = baton.bindRequest(bob)) {
      try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
        assertThat(Baton.currentToken()).contains(alice);
      }
      assertThat(Baton.currentToken()).contains(bob);
    }
  }

  @Test
  void clearMissing_snapshotFromUnboundThread_hidesTheThreadsCaller() {
    ContextSnapshot snapshot =
        ContextSnapshotFactory.builder().clearMissing(true).build().captureAll();
    try (Scope scope = baton.bindRequest(bob)) {
      try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
        assertThat(Baton.currentToken()).isEmpty();
      }
      assertThat(Baton.currentToken()).contains(bob);
    }
  }

  @Test
  void setValue_thenRestore_leavesTheThreadUnbound() {
    CallerBinding binding;
    try (Scope scope = baton.bindRequest(alice)) {
      binding = CallerBinding.capture();
    }
    accessor.setValue(binding);
    assertThat(Baton.currentToken()).contains(alice);
    accessor.restore();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void setValueNone_hidesTheCallerUntilRestored() {
    try (Scope scope = baton.bindRequest(alice)) {
      CallerBinding previous = accessor.getValue();
      accessor.setValue();
      assertThat(Baton.currentToken()).isEmpty();
      accessor.restore(previous);
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void nestedSnapshots_restoreEachLevelExactly() {
    ContextSnapshot ofAlice;
    ContextSnapshot ofBob;
    try (Scope scope = baton.bindRequest(alice)) {
      ofAlice = factory.captureAll();
    }
    try (Scope scope = baton.bindRequest(bob)) {
      ofBob = factory.captureAll();
    }
    try (ContextSnapshot.Scope outer = ofAlice.setThreadLocals()) {
      try (ContextSnapshot.Scope inner = ofBob.setThreadLocals()) {
        assertThat(Baton.currentToken()).contains(bob);
      }
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void batonScopeOpenedInsideAndLeftOpen_isUnwoundByTheRestore() {
    ContextSnapshot ofAlice;
    try (Scope scope = baton.bindRequest(alice)) {
      ofAlice = factory.captureAll();
    }
    Scope leftOpen;
    try (ContextSnapshot.Scope restored = ofAlice.setThreadLocals()) {
      leftOpen = baton.bindRequest(bob);
      assertThat(Baton.currentToken()).contains(bob);
    }
    assertThat(Baton.isBound()).isFalse();
    leftOpen.close();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void batonScopeClosedBeforeTheRestoreInsideIt_leavesTheThreadExact() {
    ContextSnapshot ofBob;
    try (Scope scope = baton.bindRequest(bob)) {
      ofBob = factory.captureAll();
    }
    Scope outer = baton.bindRequest(alice);
    ContextSnapshot.Scope restored = ofBob.setThreadLocals();
    assertThat(Baton.currentToken()).contains(bob);
    outer.close();
    assertThat(Baton.isBound()).isFalse();
    restored.close();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void batonScopeReopenedAfterOutOfOrderClose_isNotTouchedByTheLateRestore() {
    ContextSnapshot ofBob;
    try (Scope scope = baton.bindRequest(bob)) {
      ofBob = factory.captureAll();
    }
    Scope outer = baton.bindRequest(alice);
    ContextSnapshot.Scope restored = ofBob.setThreadLocals();
    outer.close();
    try (Scope fresh = baton.bindRequest(alice)) {
      restored.close();
      assertThat(Baton.currentToken()).contains(alice);
    }
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void snapshotsRestoredOutOfOrder_endWithTheThreadUnbound() {
    ContextSnapshot ofAlice;
    ContextSnapshot ofBob;
    try (Scope scope = baton.bindRequest(alice)) {
      ofAlice = factory.captureAll();
    }
    try (Scope scope = baton.bindRequest(bob)) {
      ofBob = factory.captureAll();
    }
    ContextSnapshot.Scope first = ofAlice.setThreadLocals();
    ContextSnapshot.Scope second = ofBob.setThreadLocals();
    first.close();
    second.close();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void restoreWithoutSetValue_changesNothing() {
    try (Scope scope = baton.bindRequest(alice)) {
      accessor.restore();
      assertThat(Baton.currentToken()).contains(alice);
    }
    accessor.restore();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void restoredSnapshotScope_closedOnAnotherThread_isRejectedAndOwnerCloseStillCleans()
      throws Exception {
    ContextSnapshot ofAlice;
    try (Scope scope = baton.bindRequest(alice)) {
      ofAlice = factory.captureAll();
    }
    ContextSnapshot.Scope restored = ofAlice.setThreadLocals();
    AtomicReference<Throwable> foreign = new AtomicReference<>();
    CompletableFuture.runAsync(() -> {
      try {
        restored.close();
      } catch (Throwable t) {
        foreign.set(t);
      }
    }, pool).get();
    assertThat(foreign.get()).as("foreign close").isNull();
    assertThat(Baton.currentToken()).contains(alice);
    restored.close();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void expiry_isCheckedOnEveryRead() throws Exception {
    AccessToken shortLived = Callers.token("carol", Callers.NOW.plus(Duration.ofMinutes(1)));
    java.util.concurrent.Callable<Optional<AccessToken>> task;
    try (Scope scope = baton.bindRequest(shortLived)) {
      task = factory.captureAll().wrap(() -> {
        Optional<AccessToken> before = Baton.currentToken();
        clock.advance(Duration.ofMinutes(2));
        assertThat(Baton.currentToken()).as("read after expiry, inside the task").isEmpty();
        return before;
      });
    }
    assertThat(pool.submit(task).get()).contains(shortLived);
  }

  @Test
  void callerExpiredBeforeTheTaskStarts_underFail_doesNotRunTheTask() throws Exception {
    AccessToken shortLived = Callers.token("carol", Callers.NOW.plus(Duration.ofMinutes(1)));
    java.util.List<BatonEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Baton failing = Baton.builder().clock(clock).listener(events::add).build();
    AtomicInteger ran = new AtomicInteger();
    java.util.concurrent.Callable<Optional<AccessToken>> task;
    try (Scope scope = failing.bindRequest(shortLived)) {
      task = factory.captureAll().wrap(() -> {
        ran.incrementAndGet();
        return Baton.currentToken();
      });
    }
    clock.advance(Duration.ofMinutes(2));

    assertThat(pool.submit(task)).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(RestoreFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));
    assertThat(ran).hasValue(0);
    assertThat(events).extracting(BatonEvent::type).containsExactly(BatonEvent.Type.EXPIRED);
  }

  @Test
  void callerExpiredBeforeTheTaskStarts_underRunUnauthenticated_runsWithNoCaller()
      throws Exception {
    AccessToken shortLived = Callers.token("carol", Callers.NOW.plus(Duration.ofMinutes(1)));
    java.util.List<BatonEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Baton lenient = Baton.builder().clock(clock).listener(events::add)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    java.util.concurrent.Callable<Optional<AccessToken>> task;
    try (Scope scope = lenient.bindRequest(shortLived)) {
      task = factory.captureAll().wrap(Baton::currentToken);
    }
    clock.advance(Duration.ofMinutes(2));

    assertThat(pool.submit(task).get()).isEmpty();
    assertThat(events).extracting(BatonEvent::type).containsExactly(BatonEvent.Type.EXPIRED);
  }

  @Test
  void setValue_ofAnExpiredCaller_underFail_leavesTheThreadAsItWas() {
    AccessToken shortLived = Callers.token("carol", Callers.NOW.plus(Duration.ofMinutes(1)));
    CallerBinding expired;
    try (Scope scope = baton.bindRequest(shortLived)) {
      expired = CallerBinding.capture();
    }
    clock.advance(Duration.ofMinutes(2));

    try (Scope scope = baton.bindRequest(bob)) {
      assertThatThrownBy(() -> accessor.setValue(expired))
          .isInstanceOf(RestoreFailedException.class);
      assertThat(Baton.currentToken()).contains(bob);
    }
  }

  @Test
  void setValue_null_isRejected() {
    @SuppressWarnings("unchecked")
    ThreadLocalAccessor<Object> raw = (ThreadLocalAccessor<Object>) (ThreadLocalAccessor<?>) accessor;
    assertThatThrownBy(() -> raw.setValue(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("value");
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void toString_namesTheKeyOnly() {
    assertThat(accessor).hasToString("BatonThreadLocalAccessor[dev.baton.caller]");
  }

  @Test
  void stackExhaustionSweep_neverLeavesTheThreadBound() throws Exception {
    ContextSnapshot ofAlice;
    try (Scope scope = baton.bindRequest(alice)) {
      ofAlice = factory.captureAll();
    }
    AtomicInteger overflows = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      int edge = probe(0);
      // Recurse to every depth near the edge, so setting and restoring fail at each step.
      for (int depth = Math.max(0, edge - 400); depth <= edge; depth++) {
        try {
          recurse(depth, ofAlice);
        } catch (StackOverflowError expected) {
          overflows.incrementAndGet();
        } catch (Throwable unexpected) {
          failure.set(unexpected);
          return;
        }
        if (Baton.isBound()) {
          failure.set(new AssertionError("bound after depth " + depth + " of " + edge));
          return;
        }
      }
    }, "sweep", 512 * 1024);
    thread.start();
    thread.join(TimeUnit.MINUTES.toMillis(5));
    assertThat(thread.isAlive()).as("sweep still running after 5 minutes").isFalse();
    assertThat(failure.get()).isNull();
    assertThat(overflows.get()).as("depths that overflowed").isPositive();
  }

  private static int probe(int depth) {
    try {
      return probe(depth + 1);
    } catch (StackOverflowError edge) {
      return depth;
    }
  }

  private static void recurse(int depth, ContextSnapshot snapshot) {
    if (depth > 0) {
      recurse(depth - 1, snapshot);
      return;
    }
    try (ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
      if (!Baton.isBound()) {
        throw new AssertionError("not bound inside");
      }
    }
  }
}
