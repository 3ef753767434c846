package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.HANG_MARGIN;
import static dev.baton.store.redis.TestSupport.assertNeverContains;
import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.containsBytes;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.TokenStoreException;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code saveAsync} and {@code Baton.captureAsync} on a real {@code redis-server} of this class's
 * own (it is paused and killed). Writes are held in flight deterministically with
 * {@code CLIENT PAUSE ... WRITE}: Redis reads the SETs and answers none of them until unpaused.
 */
class RedisSaveAsyncTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  /** Bound on waiting for a future: generous, a hang detector, not a performance assertion. */
  private static final Duration FUTURE_BOUND = TIMEOUT.multipliedBy(10).plus(HANG_MARGIN);

  private static final ClassResource<RedisServerProcess> REDIS =
      new ClassResource<>(RedisServerProcess::startDefault);

  private final List<RedisTokenSnapshotStore> stores = new ArrayList<>();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeStoresAndUnpause() throws Exception {
    stores.forEach(RedisTokenSnapshotStore::close);
    RedisServerProcess redis = REDIS.get();
    if (!redis.isRunning()) {
      redis.restart();
    }
    Resp.call(redis.port(), "CLIENT", "UNPAUSE");
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  private RedisTokenSnapshotStore store() {
    RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(REDIS.get().uri())
        .sealingKeys(SealingKeyRing.of("k1", new byte[32])).commandTimeout(TIMEOUT).build();
    stores.add(store);
    return store;
  }

  private Baton baton(RedisTokenSnapshotStore store) {
    return Baton.builder().store(store).listener(events::add).build();
  }

  private static void pauseWrites() throws Exception {
    assertThat(Resp.call(REDIS.get().port(), "CLIENT", "PAUSE", "60000", "WRITE")).isEqualTo("OK");
  }

  private static void unpause() throws Exception {
    assertThat(Resp.call(REDIS.get().port(), "CLIENT", "UNPAUSE")).isEqualTo("OK");
  }

  /** Waits for {@code future} within {@link #FUTURE_BOUND}; a pending future fails the test. */
  private static <T> Optional<Throwable> outcome(CompletableFuture<T> future) throws Exception {
    try {
      future.get(FUTURE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("a captureAsync future was still pending after " + FUTURE_BOUND
          + ": the store left a write without an outcome", e);
    }
  }

  @Test
  void captureAsync_capturesTheSubmittingCaller_whenLettucesIoThreadCompletesItAfterTheScopeClosed()
      throws Exception {
    RedisTokenSnapshotStore store = store();
    AccessToken alice = caller("alice");
    var completedOn = new AtomicReference<@Nullable String>();
    Baton baton = Baton.builder().store(store).listener(e -> {
      if (e.type() == BatonEvent.Type.CAPTURED) {
        completedOn.set(Thread.currentThread().getName());
      }
    }).build();
    TaskKey key = key("submitted-by-alice");
    CompletableFuture<TaskKey> captured;
    pauseWrites(); // the reply cannot arrive before the store has attached its completion
    try (Scope request = baton.bindRequest(alice)) {
      captured = baton.captureAsync(key);
    }
    assertThat(captured).isNotDone();
    unpause();
    assertThat(outcome(captured)).isEmpty();
    assertThat(completedOn.get()).as("the thread that completed the write")
        .startsWith("lettuce-");
    var seen = new AtomicReference<Optional<AccessToken>>();
    try (Scope otherCaller = baton.bindRequest(caller("bob"))) {
      baton.run(key, () -> seen.set(Baton.currentToken()));
    }
    assertThat(seen.get()).contains(alice);
  }

  @Test
  void captureAsync_whenRedisIsKilledWithWritesInFlight_everyFutureFailsWithTokenStoreException()
      throws Exception {
    RedisTokenSnapshotStore store = store();
    Baton baton = baton(store);
    AccessToken alice = caller("alice");
    pauseWrites();
    var futures = new ArrayList<CompletableFuture<TaskKey>>();
    for (int i = 0; i < 200; i++) {
      futures.add(baton.captureAsync(key("in-flight-" + i), alice));
    }
    REDIS.get().kill();
    int failed = 0;
    for (CompletableFuture<TaskKey> future : futures) {
      Throwable failure = outcome(future).orElseThrow(() -> new AssertionError(
          "a write held by CLIENT PAUSE completed normally although Redis was killed"));
      assertThat(failure).isInstanceOf(TokenStoreException.class)
          .hasMessageContaining("Redis SET for task");
      assertNeverContains(failure, alice.token());
      failed++;
    }
    assertThat(failed).isEqualTo(200);
    assertThat(events).as("no capture event for a write that failed").isEmpty();
  }

  @Test
  void saveAsync_whenRedisIsDown_failsTheStage_andDoesNotThrow() throws Exception {
    RedisTokenSnapshotStore store = store();
    AccessToken alice = caller("alice");
    REDIS.get().kill();
    var stage = new AtomicReference<@Nullable CompletableFuture<Void>>();
    Throwable thrown = catchThrowable(() -> stage.set(store.saveAsync(key("down"),
        TokenSnapshot.of(alice, Instant.now()), Duration.ofMinutes(1)).toCompletableFuture()));
    assertThat(thrown).isNull();
    Throwable failure = outcome(Objects.requireNonNull(stage.get())).orElseThrow();
    assertThat(failure).isInstanceOf(TokenStoreException.class);
    assertNeverContains(failure, alice.token());
  }

  @Test
  void captureAsync_eventsMatchOutcomes_oneCapturedPerWriteThatLanded() throws Exception {
    RedisTokenSnapshotStore store = store();
    Baton baton = baton(store);
    var futures = new ArrayList<CompletableFuture<TaskKey>>();
    for (int i = 0; i < 100; i++) {
      futures.add(baton.captureAsync(key("landed-" + i), i % 2 == 0 ? caller("c" + i) : null));
    }
    for (CompletableFuture<TaskKey> future : futures) {
      assertThat(outcome(future)).isEmpty();
      assertThat(store.load(future.join())).isPresent();
    }
    assertThat(events).hasSize(100);
    assertThat(events.stream().filter(e -> e.type() == BatonEvent.Type.CAPTURED)).hasSize(50);
    assertThat(events.stream().filter(e -> e.type() == BatonEvent.Type.CAPTURED_ANONYMOUS))
        .hasSize(50);
  }

  @Test
  void saveAsync_oversizedToken_throwsIaeAtOnce_withoutTheToken_andStoresNothing() {
    RedisTokenSnapshotStore store = store();
    String secret = "oversized-" + "x".repeat(70_000);
    AccessToken huge = new AccessToken(secret, "client", List.of(), null, null, Map.of());
    TaskKey key = key("oversized");
    Throwable thrown = catchThrowable(() ->
        store.saveAsync(key, TokenSnapshot.of(huge, Instant.now()), Duration.ofMinutes(1)));
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertNeverContains(thrown, secret.substring(0, 40));
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void saveAsync_sealsTheValue_likeSave() throws Exception {
    RedisTokenSnapshotStore store = store();
    AccessToken alice = caller("alice");
    TaskKey key = key("sealed");
    store.saveAsync(key, TokenSnapshot.of(alice, Instant.now()), Duration.ofMinutes(1))
        .toCompletableFuture().get(FUTURE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    byte[] raw = (byte[]) Resp.callBinary(REDIS.get().port(), "GET".getBytes(StandardCharsets.US_ASCII),
        store.redisKey(key));
    assertThat(containsBytes(raw, alice.token())).as("stored value holds the token in clear")
        .isFalse();
    assertThat(store.load(key).flatMap(TokenSnapshot::accessToken)).contains(alice);
  }

  @Test
  void saveAsync_afterClose_throwsIse() {
    RedisTokenSnapshotStore store = store();
    store.close();
    assertThat(catchThrowable(() -> store.saveAsync(key("closed"),
        TokenSnapshot.anonymous(Instant.now()), Duration.ofMinutes(1))))
        .isInstanceOf(IllegalStateException.class);
  }
}
