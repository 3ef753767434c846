package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
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
 * Item 1 of the identity issue: a scope is closed only by its owner. (Item 2, an Error inside
 * Baton's scope code, is swept at the stack's edge in the core module's ScopeStackEdgeTest, on a
 * store without locks.)
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
