package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.RECOVERY_DEADLINE;
import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.eventually;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code appendonly yes} and {@code appendfsync always}, a save that Redis acknowledged
 * survives {@code kill -9}: after a restart on the same port it reads back, and still expires.
 */
class RedisDurabilityTest {
  private static final Duration TTL = Duration.ofMinutes(10);

  private RedisServerProcess redis;
  private RedisTokenSnapshotStore store;

  @BeforeEach
  void start() {
    redis = RedisServerProcess.builder().appendOnly(true).build().start();
    store = RedisTokenSnapshotStore.builder().uri(redis.uri()).withoutSealing().build();
  }

  @AfterEach
  void stop() {
    store.close();
    redis.close();
  }

  @Test
  void server_isConfiguredToFsyncEveryWrite() throws IOException {
    assertThat(Resp.call(redis.port(), "CONFIG", "GET", "appendonly"))
        .isEqualTo(List.of("appendonly", "yes"));
    assertThat(Resp.call(redis.port(), "CONFIG", "GET", "appendfsync"))
        .isEqualTo(List.of("appendfsync", "always"));
  }

  @Test
  void acknowledgedSaves_afterKill9AndRestart_areReadableFromTheSameStore() {
    Map<TaskKey, TokenSnapshot> saved = saveSome(20);

    redis.kill();
    redis.restart();

    for (Map.Entry<TaskKey, TokenSnapshot> entry : saved.entrySet()) {
      assertThat(eventually(RECOVERY_DEADLINE, () -> store.load(entry.getKey())))
          .contains(entry.getValue());
    }
  }

  @Test
  void acknowledgedSave_afterKill9AndRestart_isReadableFromANewStore() {
    Map<TaskKey, TokenSnapshot> saved = saveSome(1);
    redis.kill();
    redis.restart();

    try (RedisTokenSnapshotStore fresh =
        RedisTokenSnapshotStore.builder().uri(redis.uri()).withoutSealing().build()) {
      Map.Entry<TaskKey, TokenSnapshot> entry = saved.entrySet().iterator().next();
      assertThat(eventually(RECOVERY_DEADLINE, () -> fresh.load(entry.getKey())))
          .contains(entry.getValue());
    }
  }

  @Test
  void acknowledgedSave_afterKill9AndRestart_stillExpires() throws IOException {
    TaskKey key = saveSome(1).keySet().iterator().next();
    redis.kill();
    redis.restart();
    eventually(RECOVERY_DEADLINE, () -> store.load(key));

    Object pttl = Resp.callBinary(redis.port(), "PTTL".getBytes(StandardCharsets.UTF_8),
        store.redisKey(key));

    assertThat(pttl).isInstanceOf(Long.class);
    assertThat((Long) pttl).isPositive().isLessThanOrEqualTo(TTL.toMillis());
  }

  private Map<TaskKey, TokenSnapshot> saveSome(int count) {
    Map<TaskKey, TokenSnapshot> saved = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      TaskKey key = key("durable-" + i);
      TokenSnapshot snapshot = TokenSnapshot.of(caller("durable-" + i), Instant.now());
      store.save(key, snapshot, TTL); // returns once Redis acknowledged (after fsync)
      saved.put(key, snapshot);
    }
    return saved;
  }
}
