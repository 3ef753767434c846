package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Baton#captureAsync}: the same decisions as {@link Baton#capture} (caller, TTL, expired
 * token, events), reported when the store's write completes, on whichever thread completes it.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class CaptureAsyncTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration SNAPSHOT_TTL = Duration.ofMinutes(30);

  private final MutableClock clock = new MutableClock(NOW);
  private final PendingWritesStore store = new PendingWritesStore();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final Baton baton = Baton.builder().store(store).clock(clock).snapshotTtl(SNAPSHOT_TTL)
      .listener(events::add).build();

  private final AccessToken alice = AccessToken.of("alice-token", "client");
  private final AccessToken bob = AccessToken.of("bob-token", "client");

  @AfterEach
  void threadIsClean() {
    assertThat(ContextStorage.isBound()).as("test left a binding on the thread").isFalse();
  }

  private static TaskKey key(String id) {
    return new TaskKey("tenant", id);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /** Completes the oldest pending write on a new thread that is itself bound to {@code as}. */
  private void completeOnAnotherThread(@Nullable AccessToken as) throws Exception {
    var failure = new AtomicReference<@Nullable Throwable>();
    Thread io = new Thread(() -> {
      try (Scope other = baton.bindRequest(as)) {
        store.completeNext();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "store-io");
    io.start();
    io.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(io.isAlive()).as("completing thread finished").isFalse();
    assertThat(failure.get()).isNull();
  }

  @Test
  void captureAsync_capturesTheSubmittingCaller_evenWhenCompletedElsewhereAfterItsScopeClosed()
      throws Exception {
    CompletableFuture<TaskKey> captured;
    try (Scope request = baton.bindRequest(alice)) {
      captured = baton.captureAsync(key("t1"));
    }
    completeOnAnotherThread(bob);
    assertThat(await(captured)).isEqualTo(key("t1"));
    assertThat(store.entries.get(key("t1")).accessToken()).contains(alice);
  }

  @Test
  void captureAsync_isPendingUntilTheStoreCompletesTheWrite() throws Exception {
    CompletableFuture<TaskKey> captured = baton.captureAsync(key("t1"), alice);
    assertThat(captured).isNotDone();
    assertThat(store.entries).isEmpty();
    store.completeNext();
    assertThat(await(captured)).isEqualTo(key("t1"));
  }

  @Test
  void captureAsync_publishesCapturedWhenTheWriteCompletes_notBefore() throws Exception {
    CompletableFuture<TaskKey> captured = baton.captureAsync(key("t1"), alice);
    assertThat(events).isEmpty();
    store.completeNext();
    await(captured);
    assertThat(events).containsExactly(new BatonEvent(BatonEvent.Type.CAPTURED, key("t1"), null));
  }

  @Test
  void captureAsync_withoutCaller_savesAnonymous_andPublishesCapturedAnonymous() throws Exception {
    CompletableFuture<TaskKey> captured = baton.captureAsync(key("t1"));
    store.completeNext();
    await(captured);
    assertThat(store.entries.get(key("t1")).isAnonymous()).isTrue();
    assertThat(store.ttls.get(key("t1"))).isEqualTo(SNAPSHOT_TTL);
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.CAPTURED_ANONYMOUS);
  }

  @Test
  void captureAsync_expiredToken_underFail_failsStoringNothing_andPublishesCapturedExpired()
      throws Exception {
    AccessToken expired = AccessToken.builder("old-token", "client")
        .expiresAt(NOW.minusSeconds(1)).build();
    CompletableFuture<TaskKey> captured = baton.captureAsync(key("t1"), expired);

    assertThat(captured).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(RestoreFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));
    assertThat(store.entries).doesNotContainKey(key("t1"));
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.CAPTURED_EXPIRED);
  }

  @Test
  void captureAsync_expiredToken_underRunUnauthenticated_savesAnonymous_andPublishesCapturedExpired()
      throws Exception {
    Baton lenient = Baton.builder().store(store).clock(clock).snapshotTtl(SNAPSHOT_TTL)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).listener(events::add)
        .build();
    AccessToken expired = AccessToken.builder("old-token", "client")
        .expiresAt(NOW.minusSeconds(1)).build();
    CompletableFuture<TaskKey> captured = lenient.captureAsync(key("t1"), expired);
    store.completeNext();
    await(captured);
    assertThat(store.entries.get(key("t1")).isAnonymous()).isTrue();
    assertThat(events).extracting(BatonEvent::type)
        .containsExactly(BatonEvent.Type.CAPTURED_EXPIRED);
  }

  @Test
  void captureAsync_cutsTheTtlToTheTokensValidity_exactlyAsCaptureDoes() throws Exception {
    AccessToken shortLived = AccessToken.builder("short-token", "client")
        .expiresAt(NOW.plusSeconds(90)).build();
    baton.capture(key("sync"), shortLived);
    CompletableFuture<TaskKey> captured = baton.captureAsync(key("async"), shortLived);
    store.completeNext();
    await(captured);
    assertThat(store.ttls.get(key("async")))
        .isEqualTo(Duration.ofSeconds(90))
        .isEqualTo(store.ttls.get(key("sync")));
  }

  @Test
  void captureAsync_storeFailure_failsTheFutureWithTheStoresException_andPublishesNothing()
      throws Exception {
    CompletableFuture<TaskKey> captured = baton.captureAsync(key("t1"), alice);
    var failure = new TokenStoreException("Redis SET for task tenant:t1 failed: unreachable");
    store.failNext(failure);
    assertThatThrownBy(() -> await(captured)).isInstanceOf(ExecutionException.class)
        .cause().isSameAs(failure);
    assertThat(events).isEmpty();
  }

  @Test
  void captureAsync_storeThatThrowsItsFailure_stillFailsTheFuture() {
    var failure = new TokenStoreException("backend down");
    Baton throwing = Baton.builder().store(new PendingWritesStore() {
      @Override
      public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
        throw failure;
      }
    }).build();
    CompletableFuture<TaskKey> captured = throwing.captureAsync(key("t1"), alice);
    assertThat(captured).isCompletedExceptionally();
    assertThatThrownBy(captured::join).cause().isSameAs(failure);
  }

  @Test
  @SuppressWarnings("NullAway") // the store under test breaks the contract on purpose
  void captureAsync_storeReturningNull_failsTheFutureNamingTheStore() {
    Baton nulls = Baton.builder().store(new PendingWritesStore() {
      @Override
      public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
        return null;
      }
    }).build();
    CompletableFuture<TaskKey> captured = nulls.captureAsync(key("t1"), alice);
    assertThatThrownBy(captured::join).cause().isInstanceOf(TokenStoreException.class)
        .hasMessageContaining("returned null from saveAsync");
  }

  @Test
  void captureAsync_argumentErrorsOfTheStore_areThrownAtOnce_andNothingIsPending() {
    Baton rejecting = Baton.builder().store(new PendingWritesStore() {
      @Override
      public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
        throw new IllegalArgumentException("snapshot is too large: 70000 bytes, limit 65536");
      }
    }).build();
    assertThatThrownBy(() -> rejecting.captureAsync(key("t1"), alice))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void captureAsync_nullKey_throwsNpe() {
    assertThatThrownBy(() -> baton.captureAsync(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> baton.captureAsync(null, alice))
        .isInstanceOf(NullPointerException.class);
    assertThat(store.hasPending()).isFalse();
  }

  @Test
  void captureAsync_withoutStore_throwsIse() {
    Baton inProcess = Baton.builder().build();
    assertThatThrownBy(() -> inProcess.captureAsync(key("t1")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a store");
  }

  @Test
  void captureAsync_onAStoreWithTheDefaultSaveAsync_isCompleteOnReturn() {
    var plain = new MapStore();
    Baton onMap = Baton.builder().store(plain).listener(events::add).build();
    CompletableFuture<TaskKey> captured = onMap.captureAsync(key("t1"), alice);
    assertThat(captured).isCompletedWithValue(key("t1"));
    assertThat(plain.entries.get(key("t1")).accessToken()).contains(alice);
    assertThat(events).extracting(BatonEvent::type).containsExactly(BatonEvent.Type.CAPTURED);
  }

  @Test
  void captureAsync_listenerThatThrows_isLogged_andTheFutureStillCompletes() throws Exception {
    Baton loud = Baton.builder().store(store).listener(e -> {
      throw new IllegalStateException("listener broke");
    }).build();
    CompletableFuture<TaskKey> captured = loud.captureAsync(key("t1"), alice);
    store.completeNext();
    assertThat(await(captured)).isEqualTo(key("t1"));
  }

  @Test
  void capture_andCaptureAsync_storeEqualSnapshots() throws Exception {
    baton.capture(key("sync"), alice);
    CompletableFuture<TaskKey> captured = baton.captureAsync(key("async"), alice);
    store.completeNext();
    await(captured);
    assertThat(store.entries.get(key("async"))).isEqualTo(store.entries.get(key("sync")));
    assertThat(Optional.ofNullable(store.entries.get(key("async")))).isPresent();
  }
}
