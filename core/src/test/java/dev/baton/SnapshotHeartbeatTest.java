package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sliding TTL: renewals to the snapshot TTL, never past the token's expiry plus leeway. */
class SnapshotHeartbeatTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(10);
  private static final Duration LEEWAY = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(NOW);
  private final TouchingStore store = new TouchingStore();
  private final Baton baton = Baton.builder().store(store).clock(clock).leeway(LEEWAY)
      .snapshotTtl(TTL).build();

  private static AccessToken token(Instant expiresAt) {
    return new AccessToken("heartbeat-token", "client", List.of(), expiresAt, null,
        Map.of("sub", "alice"));
  }

  private TaskKey captured(AccessToken caller) {
    return baton.capture(TaskKey.random(caller), caller);
  }

  @Test
  void beat_farFromExpiry_renewsToSnapshotTtl() {
    AccessToken caller = token(NOW.plus(Duration.ofHours(2)));
    try (SnapshotHeartbeat.Lease lease = baton.heartbeat().keepAlive(captured(caller), caller.expiresAt())) {
      assertThat(lease.beat()).isTrue();
    }
    assertThat(store.touches).containsExactly(TTL);
  }

  @Test
  void beat_nearExpiry_cutsAtExpiryPlusLeeway() {
    AccessToken caller = token(NOW.plus(Duration.ofMinutes(20)));
    try (SnapshotHeartbeat.Lease lease = baton.heartbeat().keepAlive(captured(caller), caller.expiresAt())) {
      clock.advance(Duration.ofMinutes(15));
      assertThat(lease.beat()).isTrue();
    }
    assertThat(store.touches).containsExactly(Duration.ofMinutes(5).plus(LEEWAY));
  }

  @Test
  void beat_afterExpiryPlusLeeway_endsWithoutTouching() {
    AccessToken caller = token(NOW.plus(Duration.ofMinutes(20)));
    SnapshotHeartbeat.Lease lease = baton.heartbeat().keepAlive(captured(caller), caller.expiresAt());
    clock.advance(Duration.ofMinutes(20).plus(LEEWAY));

    assertThat(lease.beat()).isFalse();
    assertThat(lease.isActive()).isFalse();
    assertThat(store.touches).isEmpty();
  }

  @Test
  void beat_whenSnapshotGone_ends() {
    AccessToken caller = token(NOW.plus(Duration.ofHours(2)));
    TaskKey key = captured(caller);
    SnapshotHeartbeat.Lease lease = baton.heartbeat().keepAlive(key, caller.expiresAt());
    store.delete(key);

    assertThat(lease.beat()).isFalse();
    assertThat(lease.isActive()).isFalse();
  }

  @Test
  void beat_afterClose_doesNotTouch() {
    AccessToken caller = token(NOW.plus(Duration.ofHours(2)));
    SnapshotHeartbeat.Lease lease = baton.heartbeat().keepAlive(captured(caller), caller.expiresAt());
    lease.close();

    assertThat(lease.beat()).isFalse();
    assertThat(store.touches).isEmpty();
  }

  @Test
  void retain_extendsToRetentionCutAtTokenExpiry() {
    AccessToken caller = token(NOW.plus(Duration.ofHours(2)));
    TaskKey key = captured(caller);

    assertThat(baton.heartbeat().retain(key, Duration.ofHours(1))).isTrue();
    assertThat(baton.heartbeat().retain(key, Duration.ofHours(5))).isTrue();
    assertThat(store.touches).containsExactly(Duration.ofHours(1), Duration.ofHours(2).plus(LEEWAY));
  }

  @Test
  void retain_whenSnapshotGone_isFalse() {
    assertThat(baton.heartbeat().retain(TaskKey.random(null), Duration.ofHours(1))).isFalse();
  }

  @Test
  void heartbeat_defaultInterval_isAThirdOfTheSnapshotTtl() {
    assertThat(baton.heartbeat().interval()).isEqualTo(TTL.dividedBy(3));
  }

  @Test
  void enter_withHeartbeat_renewsWhileTheTaskRunsAndStopsAtClose() throws Exception {
    var beaten = new CountDownLatch(2);
    store.onTouch = beaten::countDown;
    Baton beating = Baton.builder().store(store).clock(clock).snapshotTtl(TTL)
        .heartbeat(Duration.ofMillis(5)).build();
    AccessToken caller = token(NOW.plus(Duration.ofHours(2)));
    TaskKey key = beating.capture(TaskKey.random(caller), caller);

    beating.run(key, () -> {
      try {
        assertThat(beaten.await(1, TimeUnit.MINUTES)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    assertThat(store.touches).isNotEmpty().allMatch(TTL::equals);
    assertThat(store.entries).doesNotContainKey(key); // DELETE_ON_COMPLETION still applies
  }

  @Test
  void enter_withCleanupOverride_keepsTheSnapshot() {
    AccessToken caller = token(NOW.plus(Duration.ofHours(2)));
    TaskKey key = captured(caller);

    try (TaskScope scope = baton.enter(key, CleanupPolicy.TTL_ONLY)) {
      scope.markSucceeded();
      assertThat(Baton.currentToken()).contains(caller);
    }

    assertThat(store.entries).containsKey(key);
    assertThat(Baton.isBound()).isFalse();
  }

  @Test
  void keepAlive_onStoreWithoutTouch_isInactive() {
    Baton plain = Baton.builder().store(new MapStore()).build();
    SnapshotHeartbeat.Lease lease = plain.heartbeat().keepAlive(TaskKey.random(null), null);
    assertThat(lease.isActive()).isFalse();
  }

  /** A map store that supports touch and records every TTL a touch set. */
  private static final class TouchingStore implements TokenSnapshotStore {
    final Map<TaskKey, TokenSnapshot> entries = new java.util.concurrent.ConcurrentHashMap<>();
    final List<Duration> touches = new CopyOnWriteArrayList<>();
    volatile Runnable onTouch = () -> {};

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      entries.put(key, snapshot);
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public boolean delete(TaskKey key) {
      return entries.remove(key) != null;
    }

    @Override
    public boolean touch(TaskKey key, Duration ttl) {
      if (!entries.containsKey(key)) {
        return false;
      }
      touches.add(ttl);
      onTouch.run();
      return true;
    }

    @Override
    public Capabilities capabilities() {
      return new Capabilities(true, false);
    }

    @Override
    public void close() {}
  }
}
