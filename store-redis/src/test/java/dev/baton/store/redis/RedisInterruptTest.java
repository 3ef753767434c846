package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailurePolicy;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A pending interrupt makes a restore deterministic: the Redis store always completes the load
 * (commands wait uninterruptibly, bounded by the command timeout) and leaves the interrupt flag set,
 * so the task runs as its caller, sees the interrupt, and decides. Before, a pending interrupt made
 * a restore fail at random (Lettuce's wait raced the reply), and under RUN_UNAUTHENTICATED ran the
 * task anonymously.
 */
class RedisInterruptTest {
  private static final int TRIES = 40;

  private static RedisServerProcess redis;

  private RedisTokenSnapshotStore store;

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
    store = RedisTokenSnapshotStore.builder().uri(redis.uri())
        .sealingKeys(SealingKeyRing.of("k1", RedisSealedStoreTckTest.randomKey()))
        .commandTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @ParameterizedTest
  @EnumSource(RestoreFailurePolicy.class)
  void restore_withPendingInterrupt_alwaysRunsAsCallerAndKeepsTheFlag(RestoreFailurePolicy policy)
      throws Exception {
    Baton baton = Baton.builder().store(store).restoreFailurePolicy(policy).build();
    AccessToken alice = caller("alice");

    for (int i = 0; i < TRIES; i++) {
      TaskKey key;
      try (Scope request = baton.bindRequest(alice)) {
        key = baton.capture();
      }

      Thread.currentThread().interrupt();
      Optional<AccessToken> seen;
      boolean stillInterrupted;
      try {
        seen = baton.call(key, Baton::currentToken);
      } finally {
        stillInterrupted = Thread.interrupted(); // clears it for the next try and for JUnit
      }

      assertThat(seen).as("try %d under %s", i, policy).contains(alice);
      assertThat(stillInterrupted).as("interrupt flag after try %d", i).isTrue();
    }
  }

  @Test
  void everyOperation_withPendingInterrupt_completesAndKeepsTheFlag() {
    TaskKey key = key("ops");
    TokenSnapshot snapshot = TokenSnapshot.of(caller("bob"), Instant.now());

    for (int i = 0; i < TRIES; i++) {
      Thread.currentThread().interrupt();
      try {
        store.save(key, snapshot, Duration.ofMinutes(1));
        assertThat(store.load(key)).contains(snapshot);
        assertThat(store.touch(key, Duration.ofMinutes(2))).isTrue();
        assertThat(store.take(key)).contains(snapshot);
        assertThat(store.delete(key)).isFalse();
        assertThat(Thread.currentThread().isInterrupted()).as("flag after try %d", i).isTrue();
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void load_interruptedWhileWaiting_completesAndKeepsTheFlag() throws Exception {
    TaskKey key = key("waiting");
    TokenSnapshot snapshot = TokenSnapshot.of(caller("carol"), Instant.now());
    store.save(key, snapshot, Duration.ofMinutes(1));
    AtomicReference<Optional<TokenSnapshot>> loaded = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    // Redis holds every command for 1.5 s (well inside the 5 s command timeout), so the load waits.
    assertThat(Resp.call(redis.port(), "CLIENT", "PAUSE", "1500", "ALL")).isEqualTo("OK");
    Thread loader = new Thread(() -> {
      loaded.set(store.load(key));
      flagAfter.set(Thread.currentThread().isInterrupted());
    }, "loader");

    loader.start();
    while (loader.getState() != Thread.State.TIMED_WAITING && loader.isAlive()) {
      Thread.onSpinWait(); // until the loader waits for Redis's reply
    }
    loader.interrupt();
    loader.join();

    assertThat(loaded.get()).contains(snapshot);
    assertThat(flagAfter.get()).isTrue();
  }

  @Test
  void close_withPendingInterrupt_closesWithoutThrowingAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try {
      store.close();

      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void open_withPendingInterrupt_opensAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try (RedisTokenSnapshotStore other = RedisTokenSnapshotStore.builder().uri(redis.uri())
        .withoutSealing().build()) {
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(other.load(key("none"))).isEmpty();
    } finally {
      Thread.interrupted();
    }
  }
}
