package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An Error inside Baton's scope code (here a {@link StackOverflowError}, at every depth near the
 * end of a small stack) leaves the thread exactly as before or exactly as inside, and a later
 * close of what was left open cleans up.
 *
 * <p>The store is {@link MapStore}: a {@link java.util.concurrent.ConcurrentHashMap} takes no lock
 * that an Error can leave held (its bins use monitors, which unwinding releases). A Caffeine-backed
 * store cannot be swept like this: an overflow between its eviction lock's {@code lock()} and
 * {@code unlock()} leaves the lock owned by the sweeping thread, and every later {@code close()}
 * waits for it forever, which once held a CI build until its time limit. Errors inside a store are
 * the store's business; this test is about Baton's.
 */
@SuppressWarnings("try")
class ScopeStackEdgeTest {
  private final MapStore store = new MapStore();
  private final Baton baton = Baton.builder().store(store).build();
  private final AccessToken alice = AccessToken.of("stack-edge-alice-token", "client");

  /** Scopes whose open or close an Error cut short, recorded without a method call. */
  private final Scope[] leftOpen = new Scope[1 << 20];
  private int leftOpenCount;
  private int opened;

  private interface Opener {
    Scope open();
  }

  @AfterEach
  void threadIsClean() {
    assertThat(ContextStorage.isBound()).as("test left a binding on the thread").isFalse();
  }

  private void recurseThenAttempt(int depth, Opener opener) {
    try {
      recurseThenAttempt(depth + 1, opener);
    } catch (StackOverflowError edge) {
      // the deepest level: fall through and attempt here too
    }
    attempt(opener);
  }

  private void attempt(Opener opener) {
    Scope scope;
    try {
      scope = opener.open();
    } catch (StackOverflowError e) {
      return;
    }
    opened++;
    try {
      scope.close();
    } catch (StackOverflowError e) {
      leftOpen[leftOpenCount++] = scope;
    }
  }

  /** Runs the sweep on a thread with a small stack, then closes what an Error left open. */
  private void sweep(Opener opener) throws Exception {
    Throwable[] failure = new Throwable[1];
    boolean[] boundAfter = new boolean[1];
    Thread deep = new Thread(null, () -> {
      try {
        for (int round = 0; round < 3; round++) {
          recurseThenAttempt(0, opener);
        }
        for (int i = leftOpenCount - 1; i >= 0; i--) {
          leftOpen[i].close();
        }
        boundAfter[0] = ContextStorage.isBound();
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "stack-sweep", 256 * 1024);
    deep.start();
    deep.join(TimeUnit.MINUTES.toMillis(5));

    assertThat(deep.isAlive()).as("sweep still running after 5 minutes").isFalse();
    assertThat(failure[0]).as("sweep failed: %s", String.valueOf(failure[0])).isNull();
    assertThat(opened).as("some scopes opened at the edge").isPositive();
    assertThat(boundAfter[0]).as("binding left after every scope closed").isFalse();
  }

  @Test
  void bindRequest_atStackExhaustion_leavesTheThreadBeforeOrInside_andLaterCloseCleans()
      throws Exception {
    sweep(() -> baton.bindRequest(alice));
  }

  @Test
  void install_atStackExhaustion_leavesTheThreadBeforeOrInside_andLaterCloseCleans()
      throws Exception {
    CallerBinding binding;
    try (Scope request = baton.bindRequest(alice)) {
      binding = CallerBinding.capture();
    }
    sweep(binding::install);
  }

  @Test
  void enter_atStackExhaustion_leavesTheThreadBeforeOrInside_andLaterCloseCleans()
      throws Exception {
    Baton keeping = Baton.builder().store(store).cleanupPolicy(CleanupPolicy.TTL_ONLY).build();
    TaskKey key = keeping.capture(TaskKey.forCaller(alice, "deep"), alice);

    sweep(() -> keeping.enter(key));

    assertThat(store.load(key)).isPresent();
  }

  @Test
  void enter_atStackExhaustion_deletesTheSnapshotOnceALaterCloseSucceeds() throws Exception {
    TaskKey[] keys = new TaskKey[60_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = baton.capture(TaskKey.forCaller(alice, "deep-" + i), alice);
    }
    int[] next = new int[1];

    // One fresh key per attempt. How deep the stack goes depends on the JIT, so attempts past the
    // last key fail to open, as an Error at the edge would make them.
    sweep(() -> {
      if (next[0] == keys.length) {
        throw new StackOverflowError("no key left for this attempt");
      }
      return baton.enter(keys[next[0]++]);
    });

    // every restore that opened also cleaned up, even if its first close was cut short
    int deleted = 0;
    for (int i = 0; i < next[0]; i++) {
      if (store.load(keys[i]).isEmpty()) {
        deleted++;
      }
    }
    assertThat(deleted).isEqualTo(opened);
  }
}
