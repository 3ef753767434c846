package dev.baton.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Item 8.2 attacked through every door: each way of binding a thread is driven to the very end of
 * the stack at many depths; afterwards the thread must be clean (a wrapper has no later close, so
 * it must clean up itself) or cleanable by a later close.
 */
class StackEdgeTest {
  private static final int SWEEP = 400;

  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create();
  private final Baton baton = Baton.builder().store(store).build();
  private final AccessToken alice = Adversaries.token("edge-alice-secret-jwt", "alice");

  @AfterEach
  void clean() {
    store.close();
    assertThat(Baton.isBound()).isFalse();
  }

  private static int depth;

  private static final Runnable NOTHING = () -> { };

  /** The depth {@link #recurse} reaches before overflowing (same frame, so same depth). */
  private static int edge() {
    depth = 0;
    try {
      recurse(Integer.MAX_VALUE, NOTHING);
    } catch (StackOverflowError expected) {
      // measured
    }
    return depth;
  }

  private static void recurse(int n, Runnable atEdge) {
    depth++;
    if (n <= 0) {
      atEdge.run();
    } else {
      recurse(n - 1, atEdge);
    }
  }

  /** Runs {@code atEdge} at depths around the stack's end; returns how many overflowed. */
  private static int sweep(Runnable atEdge, Runnable afterEach) {
    int overflows = 0;
    for (int i = 0; i < SWEEP; i++) {
      int d = edge() - 1 - (i % 200);
      try {
        recurse(Math.max(0, d), atEdge);
      } catch (StackOverflowError e) {
        overflows++;
      }
      afterEach.run();
    }
    return overflows;
  }

  @Test
  void wrappedRunnable_atStackEdge_neverLeavesThreadBound() throws Exception {
    CallerBinding binding;
    try (Scope request = baton.bindRequest(alice)) {
      binding = CallerBinding.capture();
    }
    Runnable wrapped = binding.wrapRunnable(() -> { });
    List<String> leaks = new ArrayList<>();
    runOnFreshThread(() -> sweepRecursively(wrapped, leaks));
    assertThat(leaks).isEmpty();
  }

  @Test
  void executorTask_atStackEdge_neverLeavesThreadBound() throws Exception {
    // CallerRuns-like direct run of a wrapped executor's task body: a direct executor.
    ExecutorService direct = baton.wrap(new DirectExecutorService());
    List<String> leaks = new ArrayList<>();
    runOnFreshThread(() -> {
      try (Scope request = baton.bindRequest(alice)) {
        // captured here, run below without the request
      }
      sweepRecursively(() -> direct.execute(() -> { }), leaks);
    });
    assertThat(leaks).isEmpty();
  }

  @Test
  void manualScopes_atStackEdge_laterCloseCleans() throws Exception {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "edge"), alice);
    List<String> leaks = new ArrayList<>();
    AtomicReference<Scope> opened = new AtomicReference<>();
    AtomicReference<TaskKey> next = new AtomicReference<>(key);
    // enter(key) at the edge is swept in core (ScopeStackEdgeTest) on a store without locks: an
    // overflow inside Caffeine can leave its eviction lock held for good (the store's business).
    List<Callable<Scope>> openers = List.of(
        () -> baton.bindRequest(alice),
        () -> CallerBinding.none().install(),
        () -> CallerBinding.capture().install());
    runOnFreshThread(() -> {
      for (Callable<Scope> opener : openers) {
        for (int i = 0; i < SWEEP; i++) {
          int d = edge() - 1 - (i % 200);
          try {
            recurse(Math.max(0, d), () -> {
              Scope s;
              try {
                s = opener.call();
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              opened.set(s);
              s.close();
            });
          } catch (StackOverflowError e) {
            // cut short somewhere
          }
          Scope s = opened.getAndSet(null);
          if (s != null) {
            s.close();
          }
          if (store.load(next.get()).isEmpty()) {
            next.set(baton.capture(TaskKey.forCaller(alice, "edge-" + i), alice));
          }
          if (Baton.isBound()) {
            leaks.add("bound after opener " + openers.indexOf(opener) + " at depth offset " + i);
            // clean for the next round, as best we can
            while (Baton.isBound()) {
              CallerBinding.none().install();
              break;
            }
            return;
          }
        }
      }
    });
    assertThat(leaks).isEmpty();
  }

  private static void sweepRecursively(Runnable atEdge, List<String> leaks) {
    int overflows = sweep(atEdge, () -> {
      if (Baton.isBound() && leaks.isEmpty()) {
        leaks.add("thread left bound after a StackOverflowError at the edge: "
            + CallerBinding.capture());
      }
    });
    if (overflows == 0) {
      leaks.add("the sweep never reached the stack's edge");
    }
  }

  private static void runOnFreshThread(Runnable body) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "edge", 512 * 1024);
    t.start();
    t.join(TimeUnit.MINUTES.toMillis(5));
    assertThat(t.isAlive()).isFalse();
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }
}
