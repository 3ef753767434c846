package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link BatonBuilder#delegation}: what a capture stores when a {@link TokenExchanger} is set, for
 * how long, and that a failed or contract-breaking exchange stores nothing.
 */
@SuppressWarnings("try") // scopes are opened for their effect on the thread
class DelegationCaptureTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration SNAPSHOT_TTL = Duration.ofHours(6);
  private static final Duration LEEWAY = Duration.ofSeconds(30);

  /** Records each save's TTL. */
  private static final class TtlStore implements TokenSnapshotStore {
    final Map<TaskKey, TokenSnapshot> entries = new ConcurrentHashMap<>();
    final Map<TaskKey, Duration> ttls = new ConcurrentHashMap<>();

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      entries.put(key, snapshot);
      ttls.put(key, ttl);
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public boolean delete(TaskKey key) {
      ttls.remove(key);
      return entries.remove(key) != null;
    }

    @Override
    public void close() {}
  }

  private final MutableClock clock = new MutableClock(NOW);
  private final TtlStore store = new TtlStore();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger exchanges = new AtomicInteger();

  private final AccessToken alice = AccessToken.builder("alice-token", "web").subject("alice")
      .expiresAt(NOW.plus(Duration.ofMinutes(5))).build();

  private AccessToken delegatedFor(AccessToken caller, Duration lifetime) {
    return AccessToken.builder("delegated-" + caller.token(), "reports-service")
        .subject(String.valueOf(caller.subject())).claim("act", Map.of("sub", "reports-service"))
        .expiresAt(NOW.plus(lifetime)).build();
  }

  private Baton baton(TokenExchanger exchanger) {
    return Baton.builder().store(store).clock(clock).leeway(LEEWAY).snapshotTtl(SNAPSHOT_TTL)
        .listener(events::add).delegation(caller -> {
          exchanges.incrementAndGet();
          return exchanger.exchange(caller);
        }).build();
  }

  private static TaskKey key(String id) {
    return new TaskKey("tenant", id);
  }

  @Test
  void capture_withDelegation_storesTheDelegatedTokenNotTheCallers() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));

    baton.capture(key("t1"), alice);

    AccessToken stored = store.entries.get(key("t1")).accessToken().orElseThrow();
    assertThat(stored.token()).isEqualTo("delegated-alice-token");
    assertThat(stored.subject()).isEqualTo("alice");
    assertThat(events).extracting(BatonEvent::type).containsExactly(BatonEvent.Type.CAPTURED);
  }

  @Test
  void capture_withDelegation_ttlIsTheDelegatedExpiryPlusLeeway() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));

    baton.capture(key("t1"), alice);

    assertThat(store.ttls.get(key("t1"))).isEqualTo(Duration.ofHours(2).plus(LEEWAY));
  }

  @Test
  void capture_delegatedTokenOutlivingSnapshotTtl_ttlIsTheSnapshotTtl() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofDays(2)));

    baton.capture(key("t1"), alice);

    assertThat(store.ttls.get(key("t1"))).isEqualTo(SNAPSHOT_TTL);
  }

  @Test
  void run_afterTheCallersTokenExpired_actsWithTheDelegatedToken() throws Exception {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));
    baton.capture(key("t1"), alice);
    clock.advance(Duration.ofHours(1));

    Optional<AccessToken> seen = baton.call(key("t1"), Baton::currentToken);

    assertThat(seen).map(AccessToken::token).contains("delegated-alice-token");
  }

  @Test
  void run_afterTheDelegatedTokenExpired_failsClosed() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));
    baton.capture(key("t1"), alice);
    clock.advance(Duration.ofHours(3));
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> baton.run(key("t1"), () -> ran.set(true)))
        .isInstanceOf(RestoreFailedException.class)
        .satisfies(e -> assertThat(((RestoreFailedException) e).reason())
            .isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));
    assertThat(ran).isFalse();
  }

  @Test
  void capture_anonymousCaller_storesAnonymousWithoutExchanging() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));

    baton.capture(key("t1"), null);

    assertThat(store.entries.get(key("t1")).isAnonymous()).isTrue();
    assertThat(exchanges).hasValue(0);
  }

  @Test
  void capture_expiredCaller_isRefusedWithoutExchanging() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));
    clock.advance(Duration.ofMinutes(10));

    assertThatThrownBy(() -> baton.capture(key("t1"), alice))
        .isInstanceOf(RestoreFailedException.class)
        .satisfies(e -> assertThat(((RestoreFailedException) e).reason())
            .isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));
    assertThat(store.entries).isEmpty();
    assertThat(exchanges).hasValue(0);
  }

  @Test
  void capture_exchangeFails_throwsItAndStoresNothing() {
    Baton baton = baton(caller -> {
      throw new DelegationFailedException(DelegationFailedException.Reason.INVALID_GRANT,
          "subject token refused", null);
    });

    assertThatThrownBy(() -> baton.capture(key("t1"), alice))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(((DelegationFailedException) e).reason())
            .isEqualTo(DelegationFailedException.Reason.INVALID_GRANT));
    assertThat(store.entries).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void capture_exchangerThrowsOtherException_wrapsItAsFailedWithoutItsMessage() {
    Baton baton = baton(caller -> {
      throw new IllegalStateException("leaky " + caller.token());
    });

    assertThatThrownBy(() -> baton.capture(key("t1"), alice))
        .isInstanceOf(DelegationFailedException.class)
        .hasMessageNotContaining(alice.token())
        .satisfies(e -> assertThat(((DelegationFailedException) e).reason())
            .isEqualTo(DelegationFailedException.Reason.FAILED));
    assertThat(store.entries).isEmpty();
  }

  @Test
  void capture_exchangerReturnsTheCallersOwnToken_isRefused() {
    Baton baton = baton(caller -> AccessToken.builder(caller.token(), "reports-service")
        .expiresAt(NOW.plus(Duration.ofDays(1))).build());

    assertThatThrownBy(() -> baton.capture(key("t1"), alice))
        .isInstanceOf(DelegationFailedException.class)
        .hasMessageNotContaining(alice.token())
        .satisfies(e -> assertThat(((DelegationFailedException) e).reason())
            .isEqualTo(DelegationFailedException.Reason.INVALID_RESPONSE));
    assertThat(store.entries).isEmpty();
  }

  @Test
  void capture_exchangerReturnsAnExpiredToken_isRefused() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofMinutes(-5)));

    assertThatThrownBy(() -> baton.capture(key("t1"), alice))
        .isInstanceOf(DelegationFailedException.class)
        .satisfies(e -> assertThat(((DelegationFailedException) e).reason())
            .isEqualTo(DelegationFailedException.Reason.INVALID_RESPONSE));
    assertThat(store.entries).isEmpty();
  }

  @Test
  void captureAsync_exchangeFails_completesExceptionallyAndStoresNothing() {
    Baton baton = baton(caller -> {
      throw new DelegationFailedException(
          DelegationFailedException.Reason.AUTHORIZATION_SERVER_UNAVAILABLE, "connect refused",
          null);
    });

    CompletableFuture<TaskKey> future = baton.captureAsync(key("t1"), alice);

    assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DelegationFailedException.class);
    assertThat(store.entries).isEmpty();
  }

  @Test
  void captureAllAsync_withDelegation_exchangesOnceForTheBatch_andStoresTheDelegatedTokenUnderEachKey()
      throws Exception {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));
    List<TaskKey> keys = List.of(key("b1"), key("b2"), key("b3"));
    CompletableFuture<List<TaskKey>> captured;
    try (Scope request = baton.bindRequest(alice)) {
      captured = baton.captureAllAsync(keys);
    }

    assertThat(captured.get(10, TimeUnit.SECONDS)).containsExactlyElementsOf(keys);
    assertThat(exchanges).hasValue(1);
    for (TaskKey key : keys) {
      assertThat(store.entries.get(key).accessToken().orElseThrow().token())
          .isEqualTo("delegated-alice-token");
      assertThat(store.ttls.get(key)).isEqualTo(Duration.ofHours(2).plus(LEEWAY));
    }
    assertThat(events).extracting(BatonEvent::type).containsOnly(BatonEvent.Type.CAPTURED)
        .hasSize(3);
  }

  @Test
  void captureAllAsync_exchangeFails_completesExceptionallyAndStoresNothing() {
    Baton baton = baton(caller -> {
      throw new DelegationFailedException(
          DelegationFailedException.Reason.AUTHORIZATION_SERVER_UNAVAILABLE, "connect refused",
          null);
    });
    CompletableFuture<List<TaskKey>> captured;
    try (Scope request = baton.bindRequest(alice)) {
      captured = baton.captureAllAsync(List.of(key("b1"), key("b2")));
    }

    assertThatThrownBy(() -> captured.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DelegationFailedException.class);
    assertThat(store.entries).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void capture_currentCaller_keyScopeIsTheOriginalCallers() {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));
    TaskKey key;
    try (Scope request = baton.bindRequest(alice)) {
      key = baton.capture();
    }

    assertThat(key.scope()).isEqualTo(TaskKey.random(alice).scope());
  }

  @Test
  void wrap_withDelegation_doesNotExchange() throws Exception {
    Baton baton = baton(caller -> delegatedFor(caller, Duration.ofHours(2)));
    var executor = baton.wrap(java.util.concurrent.Executors.newSingleThreadExecutor());
    try (Scope request = baton.bindRequest(alice)) {
      Optional<AccessToken> seen = executor.submit(Baton::currentToken).get(10, TimeUnit.SECONDS);
      assertThat(seen).contains(alice);
    } finally {
      executor.shutdown();
    }
    assertThat(exchanges).hasValue(0);
  }

  @Test
  void wrap_withDelegateInProcess_taskSeesTheDelegatedToken() throws Exception {
    Baton baton = Baton.builder().clock(clock).delegation(caller -> {
      exchanges.incrementAndGet();
      return delegatedFor(caller, Duration.ofHours(2));
    }).delegateInProcess(true).build();
    var executor = baton.wrap(java.util.concurrent.Executors.newSingleThreadExecutor());
    try (Scope request = baton.bindRequest(alice)) {
      Optional<AccessToken> seen = executor.submit(Baton::currentToken).get(10, TimeUnit.SECONDS);
      assertThat(seen).map(AccessToken::token).contains("delegated-alice-token");
    } finally {
      executor.shutdown();
    }
    assertThat(exchanges).hasValue(1);
  }

  @Test
  void wrap_delegateInProcessExchangeFails_submitThrowsAndTheTaskNeverRuns() {
    AtomicInteger ran = new AtomicInteger();
    Baton baton = Baton.builder().clock(clock).delegation(caller -> {
      throw new DelegationFailedException(DelegationFailedException.Reason.INVALID_GRANT,
          "refused", null);
    }).delegateInProcess(true).build();
    var executor = baton.wrap(java.util.concurrent.Executors.newSingleThreadExecutor());
    try (Scope request = baton.bindRequest(alice)) {
      assertThatThrownBy(() -> executor.execute(ran::incrementAndGet))
          .isInstanceOf(DelegationFailedException.class);
    } finally {
      executor.shutdown();
    }
    assertThat(ran).hasValue(0);
  }

  @Test
  void build_delegateInProcessWithoutDelegation_isRefused() {
    assertThatThrownBy(() -> Baton.builder().delegateInProcess(true).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("delegation");
  }
}
