package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.HANG_MARGIN;
import static dev.baton.store.redis.TestSupport.RECOVERY_DEADLINE;
import static dev.baton.store.redis.TestSupport.assertNeverContains;
import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.eventually;
import static dev.baton.store.redis.TestSupport.key;
import static dev.baton.store.redis.TestSupport.since;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenStoreException;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the store fails when Redis is down or stops answering: always a {@link TokenStoreException}
 * that names the task key and never the token, and never later than the command timeout (plus a
 * margin for a loaded machine).
 */
class RedisStoreFailureTest {
  private static final Duration TIMEOUT = Duration.ofMillis(400);
  /** Long enough that every operation of a test meets a paused server. */
  private static final Duration PAUSE = Duration.ofMillis(1500);

  private static RedisServerProcess redis;

  private RedisTokenSnapshotStore store;
  private final AccessToken caller = caller("failure");
  private final TokenSnapshot snapshot = TokenSnapshot.of(caller, Instant.now());

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.startDefault();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void openStore() {
    store = RedisTokenSnapshotStore.builder().uri(redis.uri()).withoutSealing()
        .commandTimeout(TIMEOUT).build();
  }

  @AfterEach
  void closeStoreAndReviveRedis() {
    store.close();
    if (!redis.isRunning()) {
      redis.restart();
    }
    eventually(RECOVERY_DEADLINE, () -> assertThat(Resp.ping(redis.port(), TIMEOUT)).isTrue());
  }

  @ParameterizedTest
  @EnumSource(StoreOperation.class)
  void operation_whenRedisIsDown_throwsTokenStoreExceptionNamingTheKeyWithinTheTimeout(
      StoreOperation operation) {
    TaskKey key = key("down-" + operation);
    store.save(key, snapshot, Duration.ofMinutes(5));
    redis.kill();

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(() -> operation.apply(store, key, snapshot));
    Duration took = since(start);

    assertThat(thrown).isInstanceOf(TokenStoreException.class).hasMessageContaining(key.toString());
    assertNeverContains(thrown, caller.token());
    assertThat(took).isLessThanOrEqualTo(TIMEOUT.plus(HANG_MARGIN));
  }

  @ParameterizedTest
  @EnumSource(StoreOperation.class)
  void operation_whenRedisDoesNotAnswer_throwsTokenStoreExceptionWithinTheTimeout(
      StoreOperation operation) throws IOException {
    TaskKey key = key("paused-" + operation);
    store.save(key, snapshot, Duration.ofMinutes(5));
    pauseRedis();

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(() -> operation.apply(store, key, snapshot));
    Duration took = since(start);

    assertThat(thrown)
        .isInstanceOf(TokenStoreException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("timed out");
    assertNeverContains(thrown, caller.token());
    assertThat(took).isLessThanOrEqualTo(TIMEOUT.plus(HANG_MARGIN));
  }

  @Test
  void store_afterRedisAnswersAgain_worksWithoutBeingRebuilt() throws IOException {
    TaskKey key = key("paused-then-back");
    pauseRedis();
    assertThat(catchThrowable(() -> store.load(key))).isInstanceOf(TokenStoreException.class);

    eventually(RECOVERY_DEADLINE, () -> {
      store.save(key, snapshot, Duration.ofMinutes(5));
      return null;
    });

    assertThat(store.load(key)).contains(snapshot);
  }

  @Test
  void store_afterRedisRestartsOnTheSamePort_worksWithoutBeingRebuilt() {
    TaskKey key = key("killed-then-back");
    redis.kill();
    assertThat(catchThrowable(() -> store.load(key))).isInstanceOf(TokenStoreException.class);
    redis.restart();

    eventually(RECOVERY_DEADLINE, () -> {
      store.save(key, snapshot, Duration.ofMinutes(5));
      return null;
    });

    assertThat(store.load(key)).contains(snapshot);
  }

  @Test
  void build_whenNothingListens_throwsTokenStoreExceptionWithinTheTimeout() throws IOException {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, Resp.LOOPBACK)) {
      deadPort = socket.getLocalPort();
    }

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(() -> RedisTokenSnapshotStore.builder()
        .uri("redis://127.0.0.1:" + deadPort)
        .withoutSealing()
        .commandTimeout(TIMEOUT)
        .build());
    Duration took = since(start);

    assertThat(thrown).isInstanceOf(TokenStoreException.class)
        .hasMessageContaining("127.0.0.1")
        .hasMessageContaining(Integer.toString(deadPort));
    assertThat(took).isLessThanOrEqualTo(TIMEOUT.plus(HANG_MARGIN));
  }

  /** Makes Redis hold every client's commands for {@link #PAUSE}, while staying connected. */
  private static void pauseRedis() throws IOException {
    assertThat(Resp.call(redis.port(), "CLIENT", "PAUSE", Long.toString(PAUSE.toMillis()), "ALL"))
        .isEqualTo("OK");
  }
}
