package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The thread-local mechanics of request and task scopes ({@link ContextStorage}): nesting, order,
 * idempotent close, no inherited identity. Store behaviour is covered in the memory store module.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class ScopeTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final MapStore store = new MapStore();
  private final Baton baton = Baton.builder().store(store).clock(clock).build();

  private final AccessToken alice = AccessToken.of("alice-token", "client");
  private final AccessToken bob = AccessToken.of("bob-token", "client");

  @AfterEach
  void threadIsClean() {
    assertThat(ContextStorage.isBound()).as("test left a binding on the thread").isFalse();
  }

  private TaskKey captured(AccessToken caller, String id) {
    return baton.capture(TaskKey.forCaller(caller, id), caller);
  }

  // ------------------------------------------------------------------ request scopes

  @Test
  void currentToken_outsideAnyScope_isEmpty() {
    assertThat(Baton.currentToken()).isEmpty();
    assertThat(TaskContext.current()).isEmpty();
  }

  @Test
  void bindRequest_bindsTheTokenUntilClosed() {
    try (Scope scope = baton.bindRequest(alice)) {
      assertThat(Baton.currentToken()).contains(alice);
    }
    assertThat(Baton.currentToken()).isEmpty();
  }

  @Test
  void bindRequest_closed_leavesNoThreadLocalValue() {
    baton.bindRequest(alice).close();

    assertThat(ContextStorage.isBound()).isFalse();
  }

  @Test
  void bindRequest_nested_restoresTheOuterTokenOnClose() {
    try (Scope outer = baton.bindRequest(alice)) {
      try (Scope inner = baton.bindRequest(bob)) {
        assertThat(Baton.currentToken()).contains(bob);
      }
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void bindRequest_nestedAnonymous_hidesTheOuterToken() {
    try (Scope outer = baton.bindRequest(alice)) {
      try (Scope inner = baton.bindRequest(null)) {
        assertThat(Baton.currentToken()).isEmpty();
      }
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void bindRequest_withExpiredToken_readsEmpty() {
    AccessToken expired =
        new AccessToken("expired-token", "client", List.of(), NOW.minusSeconds(1), null, Map.of());

    try (Scope scope = baton.bindRequest(expired)) {
      assertThat(Baton.currentToken()).isEmpty();
    }
  }

  @Test
  void bindRequest_tokenExpiringWhileBound_readsEmptyOnceTheClockPassesExpiry() {
    AccessToken shortLived =
        new AccessToken("short-token", "client", List.of(), NOW.plusSeconds(10), null, Map.of());

    try (Scope scope = baton.bindRequest(shortLived)) {
      assertThat(Baton.currentToken()).contains(shortLived);
      clock.advance(Duration.ofSeconds(10));
      assertThat(Baton.currentToken()).isEmpty();
    }
  }

  @Test
  void close_twice_doesNotUnbindTheEnclosingScope() {
    try (Scope outer = baton.bindRequest(alice)) {
      Scope inner = baton.bindRequest(bob);
      inner.close();
      inner.close();

      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void close_outerBeforeInner_leavesTheThreadClean() {
    Scope outer = baton.bindRequest(alice);
    Scope inner = baton.bindRequest(bob);

    outer.close();
    assertThat(ContextStorage.isBound()).isFalse();
    inner.close();

    assertThat(ContextStorage.isBound()).isFalse();
    assertThat(Baton.currentToken()).isEmpty();
  }

  @Test
  void close_outerBeforeInner_restoresWhatTheOuterFound() {
    try (Scope base = baton.bindRequest(alice)) {
      Scope outer = baton.bindRequest(bob);
      Scope inner = baton.bindRequest(null);

      outer.close();
      assertThat(Baton.currentToken()).contains(alice);
      inner.close();

      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void close_staleInnerAfterOuter_doesNotDisturbAScopeOpenedSince() {
    Scope outer = baton.bindRequest(alice);
    Scope inner = baton.bindRequest(bob);
    outer.close();

    try (Scope later = baton.bindRequest(alice)) {
      inner.close();
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void close_neverThrows_evenOutOfOrder() {
    Scope outer = baton.bindRequest(alice);
    Scope inner = baton.bindRequest(bob);

    assertThatCode(() -> {
      outer.close();
      inner.close();
      outer.close();
    }).doesNotThrowAnyException();
  }

  @Test
  void close_onAnotherThread_isRejectedAndLeavesTheOwnerBound() throws Exception {
    try (Scope enclosing = baton.bindRequest(null)) {
      try (Scope scope = baton.bindRequest(alice)) {
        CompletableFuture<Void> foreign = CompletableFuture.runAsync(scope::close);

        assertThat(foreign).failsWithin(Duration.ofSeconds(10))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withCauseInstanceOf(IllegalStateException.class);
        assertThat(Baton.currentToken()).contains(alice);
      }
      assertThat(Baton.currentToken()).isEmpty();
    }
  }

  @Test
  void close_byOwnerAfterAForeignClose_stillRestores() throws Exception {
    Scope scope = baton.bindRequest(alice);
    CompletableFuture.runAsync(() -> {
      try {
        scope.close();
      } catch (IllegalStateException expected) {
        // rejected: the owner's close below is what restores
      }
    }).get(10, TimeUnit.SECONDS);

    scope.close();

    assertThat(ContextStorage.isBound()).isFalse();
  }

  // ------------------------------------------------------------------ task scopes

  @Test
  void enter_installsTheTaskContextUntilClosed() {
    TaskKey key = captured(alice, "t1");

    try (TaskScope scope = baton.enter(key)) {
      assertThat(TaskContext.current()).containsSame(scope.context());
      assertThat(scope.context().key()).isEqualTo(key);
      assertThat(Baton.currentToken()).contains(alice);
    }
    assertThat(TaskContext.current()).isEmpty();
    assertThat(Baton.currentToken()).isEmpty();
  }

  @Test
  void enter_overridesTheRequestBindingOfTheThread() {
    TaskKey key = captured(bob, "t1");

    try (Scope request = baton.bindRequest(alice)) {
      try (TaskScope task = baton.enter(key)) {
        assertThat(Baton.currentToken()).contains(bob);
      }
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void enter_anonymousTask_insideAnAuthenticatedRequest_seesNoToken() {
    TaskKey key = baton.capture(TaskKey.forCaller(null, "anon"), null);

    try (Scope request = baton.bindRequest(alice)) {
      try (TaskScope task = baton.enter(key)) {
        assertThat(Baton.currentToken()).isEmpty();
        assertThat(TaskContext.current()).isPresent();
      }
    }
  }

  @Test
  void enter_nestedTasks_restoreTheOuterTaskOnClose() {
    TaskKey outerKey = captured(alice, "outer");
    TaskKey innerKey = captured(bob, "inner");

    try (TaskScope outer = baton.enter(outerKey)) {
      try (TaskScope inner = baton.enter(innerKey)) {
        assertThat(Baton.currentToken()).contains(bob);
        assertThat(TaskContext.current().map(TaskContext::key)).contains(innerKey);
      }
      assertThat(Baton.currentToken()).contains(alice);
      assertThat(TaskContext.current().map(TaskContext::key)).contains(outerKey);
    }
  }

  @Test
  void bindRequest_insideATask_takesPrecedenceAndKeepsTheTaskContext() {
    TaskKey key = captured(alice, "t1");

    try (TaskScope task = baton.enter(key)) {
      try (Scope request = baton.bindRequest(bob)) {
        assertThat(Baton.currentToken()).contains(bob);
        assertThat(TaskContext.current()).containsSame(task.context());
      }
      assertThat(Baton.currentToken()).contains(alice);
    }
  }

  @Test
  void taskScope_closeTwice_isHarmless() {
    TaskKey key = captured(alice, "t1");

    try (Scope request = baton.bindRequest(bob)) {
      TaskScope task = baton.enter(key);
      task.close();
      task.close();

      assertThat(Baton.currentToken()).contains(bob);
    }
  }

  @Test
  void taskScope_outOfOrderWithRequestScope_leavesTheThreadClean() {
    TaskKey key = captured(alice, "t1");

    TaskScope task = baton.enter(key);
    Scope request = baton.bindRequest(bob);
    task.close();
    request.close();

    assertThat(ContextStorage.isBound()).isFalse();
  }

  @Test
  void captureInsideATask_capturesTheTasksCaller() {
    TaskKey key = captured(alice, "parent");

    TaskKey child;
    try (TaskScope task = baton.enter(key)) {
      child = baton.capture(TaskKey.forCaller(alice, "child"));
    }

    assertThat(store.entries.get(child).accessToken()).contains(alice);
  }

  @Test
  void scopes_onDifferentThreads_areIndependent() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Scope request = baton.bindRequest(alice)) {
      CompletableFuture<Boolean> seenElsewhere = CompletableFuture.supplyAsync(
          () -> Baton.currentToken().isPresent(), other);

      assertThat(seenElsewhere.get(10, TimeUnit.SECONDS)).isFalse();
    } finally {
      other.shutdown();
    }
  }
}
