package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The longest TTLs on a real {@code redis-server} (issue 22): Redis refuses a {@code PX} or
 * {@code PEXPIRE} whose sum with its clock overflows 64 bits, so the store saturates at
 * {@link RedisTokenSnapshotStore#MAX_TTL_MILLIS}; the server then holds exactly that TTL.
 */
class RedisLongestTtlTest {
  private static final ClassResource<RedisServerProcess> REDIS =
      new ClassResource<>(RedisServerProcess::startDefault);

  private RedisTokenSnapshotStore store;

  @BeforeEach
  void open() {
    store = RedisTokenSnapshotStore.builder().uri(REDIS.get().uri()).withoutSealing().build();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  /** The server's remaining TTL of {@code key}, in milliseconds ({@code PTTL}). */
  private long pttl(TaskKey key) throws Exception {
    String redisKey = new String(store.redisKey(key), StandardCharsets.UTF_8);
    return (Long) Resp.call(REDIS.get().port(), "PTTL", redisKey);
  }

  @Test
  void capture_withSnapshotTtlOfLongMaxMillis_storesAndRestoresTheCaller() {
    Baton baton = Baton.builder().store(store)
        .snapshotTtl(Duration.ofMillis(Long.MAX_VALUE)).build();
    AccessToken alice = caller("alice");
    TaskKey key = key("longest-capture");
    baton.capture(key, alice);
    var seen = new AtomicReference<AccessToken>();
    baton.run(key, () -> seen.set(Baton.currentToken().orElseThrow()));
    assertThat(seen.get()).isEqualTo(alice);
  }

  @Test
  void save_withLongMaxMillis_isSaturatedToMaxTtlMillis() throws Exception {
    TaskKey key = key("longest-save");
    store.save(key, TokenSnapshot.of(caller("bob"), Instant.now()),
        Duration.ofMillis(Long.MAX_VALUE));
    assertThat(pttl(key)).isBetween(RedisTokenSnapshotStore.MAX_TTL_MILLIS - 60_000,
        RedisTokenSnapshotStore.MAX_TTL_MILLIS);
  }

  @Test
  void touch_withForever_isSaturatedToMaxTtlMillis() throws Exception {
    TaskKey key = key("longest-touch");
    store.save(key, TokenSnapshot.of(caller("carol"), Instant.now()), Duration.ofMinutes(1));
    assertThat(store.touch(key, ChronoUnit.FOREVER.getDuration())).isTrue();
    assertThat(pttl(key)).isBetween(RedisTokenSnapshotStore.MAX_TTL_MILLIS - 60_000,
        RedisTokenSnapshotStore.MAX_TTL_MILLIS);
    assertThat(store.load(key)).isPresent();
  }

  @Test
  void ttlMillis_roundsUpAndSaturates() {
    assertThat(RedisTokenSnapshotStore.ttlMillis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(RedisTokenSnapshotStore.ttlMillis(Duration.ofNanos(1_000_001))).isEqualTo(2);
    assertThat(RedisTokenSnapshotStore.ttlMillis(Duration.ofMillis(Long.MAX_VALUE / 2)))
        .isEqualTo(RedisTokenSnapshotStore.MAX_TTL_MILLIS);
    assertThat(RedisTokenSnapshotStore.ttlMillis(Duration.ofMillis(Long.MAX_VALUE / 2 + 1)))
        .isEqualTo(RedisTokenSnapshotStore.MAX_TTL_MILLIS);
    assertThat(RedisTokenSnapshotStore.ttlMillis(ChronoUnit.FOREVER.getDuration()))
        .isEqualTo(RedisTokenSnapshotStore.MAX_TTL_MILLIS);
  }
}
