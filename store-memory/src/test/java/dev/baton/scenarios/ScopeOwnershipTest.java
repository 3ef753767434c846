package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.CleanupPolicy;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Item 1 and 2 of the identity issue: a scope is closed only by its owner, and an Error inside
 * Baton's scope code leaves the thread exactly as before or exactly as inside.
 */
@SuppressWarnings("try")
class ScopeOwnershipTest {
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create();
  private final Baton baton = Baton.builder().store(store).build();
  private final AccessToken alice = Tokens.of("ownership-alice-jwt", "alice");

  @AfterEach
  void threadIsClean() {
    store.close();
    assertThat(Baton.isBound()).as("test left a binding on the thread").isFalse();
  }

  private static Throwable closeElsewhere(Scope scope) throws InterruptedException {
    try {
      CompletableFuture.runAsync(scope::close).get(30, TimeUnit.SECONDS);
      return new AssertionError("foreign close was accepted");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      return e;
    }
  }

  @Test
  void taskScope_closedOnAnotherThread_isRejected_keepsSnapshotAndBinding() throws Exception {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t"), alice);
    TaskScope scope = baton.enter(key);

    Throwable foreign = closeElsewhere(scope);

    assertThat(foreign).isInstanceOf(IllegalStateException.class);
    assertThat(Baton.currentToken()).contains(alice);
    assertThat(store.load(key)).isPresent();
    scope.close();
    assertThat(Baton.isBound()).isFalse();
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void requestScope_closedOnAnotherThread_isRejected_ownerCloseRestores() throws Exception {
    Scope scope = baton.bindRequest(alice);

    assertThat(closeElsewhere(scope)).isInstanceOf(IllegalStateException.class);
    assertThat(Baton.currentToken()).contains(alice);
    scope.close();
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void installedBinding_closedOnAnotherThread_isRejected() throws Exception {
    Scope scope;
    try (Scope request = baton.bindRequest(alice)) {
      scope = CallerBinding.capture().install();
    }
    // out of order on purpose: the request scope above unwound the installed one
    assertThat(closeElsewhere(scope)).isInstanceOf(IllegalStateException.class);
    scope.close();
  }

  @Test
  void foreignClose_ofAScopeAlreadyClosed_isHarmless() throws Exception {
    Scope scope = baton.bindRequest(alice);
    scope.close();

    CompletableFuture.runAsync(scope::close).get(30, TimeUnit.SECONDS);

    assertThat(Baton.isBound()).isFalse();
  }

  // ------------------------------------------------------------------ errors near stack end

  /** Scopes whose open or close an Error cut short, recorded without a method call. */
  private final Scope[] leftOpen = new Scope[1 << 20];
  private int leftOpenCount;
  private int opened;
  private int failedOpens;

  private interface Opener {
    Scope open();
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
      failedOpens++;
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
        boundAfter[0] = Baton.isBound();
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "stack-sweep", 256 * 1024);
    deep.start();
    deep.join();

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
    Baton deleting = Baton.builder().store(store).build();
    TaskKey[] keys = new TaskKey[60_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = deleting.capture(TaskKey.forCaller(alice, "deep-" + i), alice);
    }
    int[] next = new int[1];

    // one fresh key per attempt (an index past the end fails the sweep loudly)
    sweep(() -> deleting.enter(keys[next[0]++]));

    // every restore that opened also cleaned up, even if its first close was cut short
    int deleted = 0;
    for (int i = 0; i < next[0]; i++) {
      if (store.load(keys[i]).isEmpty()) {
        deleted++;
      }
    }
    assertThat(deleted).isEqualTo(opened);
  }

  @Test
  void closeFromWrongThread_thenEnclosingClose_leavesOwnerClean() throws Exception {
    Scope enclosing = baton.bindRequest(null);
    Scope inner = baton.bindRequest(alice);
    assertThatThrownBy(() -> CompletableFuture.runAsync(inner::close).get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);

    enclosing.close();
    inner.close();

    assertThat(Baton.isBound()).isFalse();
  }
}
