package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.HANG_MARGIN;
import static dev.baton.store.redis.TestSupport.assertNeverContains;
import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.BatchSaveException;
import dev.baton.store.TokenStoreException;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code saveAllAsync} and {@code Baton.captureAllAsync} on a real {@code redis-server} of this
 * class's own (it is killed by one test and restarted after). Partial failures are real: a Redis
 * ACL user allowed only some keys gets {@code NOPERM} for the others.
 */
class RedisBatchSaveTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** Bound on waiting for a future: a hang detector, not a performance assertion. */
  private static final Duration FUTURE_BOUND = TIMEOUT.multipliedBy(10).plus(HANG_MARGIN);
  private static final Duration TTL = Duration.ofMinutes(5);

  private static final ClassResource<RedisServerProcess> REDIS =
      new ClassResource<>(RedisServerProcess::startDefault);

  private final List<RedisTokenSnapshotStore> stores = new ArrayList<>();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> aclUsers = new ArrayList<>();

  @AfterEach
  void closeStores() throws Exception {
    stores.forEach(RedisTokenSnapshotStore::close);
    RedisServerProcess redis = REDIS.get();
    if (!redis.isRunning()) {
      redis.restart();
    }
    for (String user : aclUsers) {
      Resp.call(redis.port(), "ACL", "DELUSER", user);
    }
  }

  @AfterAll
  static void stopRedis() {
    REDIS.close();
  }

  private RedisTokenSnapshotStore sealedStore(String uri) {
    RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(uri)
        .sealingKeys(SealingKeyRing.of("k1", new byte[32])).commandTimeout(TIMEOUT).build();
    stores.add(store);
    return store;
  }

  private RedisTokenSnapshotStore sealedStore() {
    return sealedStore(REDIS.get().uri());
  }

  private RedisTokenSnapshotStore plainStore() {
    RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(REDIS.get().uri())
        .withoutSealing().commandTimeout(TIMEOUT).build();
    stores.add(store);
    return store;
  }

  private Baton baton(RedisTokenSnapshotStore store) {
    return Baton.builder().store(store).listener(events::add).build();
  }

  private static List<TaskKey> keys(int count, Function<Integer, String> id) {
    String scope = "batch-" + UUID.randomUUID();
    return IntStream.range(0, count).mapToObj(i -> new TaskKey(scope, id.apply(i))).toList();
  }

  /** Waits for {@code future} within {@link #FUTURE_BOUND}; a pending future fails the test. */
  private static Optional<Throwable> outcome(CompletableFuture<?> future) throws Exception {
    try {
      future.get(FUTURE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("a batch was still pending after " + FUTURE_BOUND
          + ": the store left a write without an outcome", e);
    }
  }

  private static byte[] rawValue(RedisTokenSnapshotStore store, TaskKey key) throws Exception {
    return (byte[]) Resp.callBinary(REDIS.get().port(), "GET".getBytes(StandardCharsets.UTF_8),
        store.redisKey(key));
  }

  @Test
  void captureAllAsync_everyKeyLoadsAsTheCaller_acrossSeveralChunks() throws Exception {
    RedisTokenSnapshotStore store = sealedStore();
    Baton baton = baton(store);
    AccessToken alice = caller("alice");
    List<TaskKey> keys = keys(3 * RedisTokenSnapshotStore.BATCH_CHUNK + 7, i -> "task-" + i);
    CompletableFuture<List<TaskKey>> captured;
    try (Scope request = baton.bindRequest(alice)) {
      captured = baton.captureAllAsync(keys);
    }
    assertThat(outcome(captured)).isEmpty();
    assertThat(captured.join()).containsExactlyElementsOf(keys);
    for (TaskKey key : keys) {
      assertThat(store.load(key)).map(s -> s.accessToken().orElseThrow()).contains(alice);
    }
    assertThat(events).hasSize(keys.size())
        .allMatch(e -> e.type() == BatonEvent.Type.CAPTURED);
  }

  @Test
  void saveAllAsync_plainStore_writesTheBytesSaveWrites() throws Exception {
    RedisTokenSnapshotStore store = plainStore();
    TokenSnapshot snapshot = TokenSnapshot.of(caller("alice"), Instant.now());
    List<TaskKey> keys = keys(2, i -> "plain-" + i);
    store.save(keys.get(0), snapshot, TTL);
    byte[] saved = rawValue(store, keys.get(0));
    assertThat(outcome(store.saveAllAsync(keys, snapshot, TTL).toCompletableFuture())).isEmpty();
    assertThat(rawValue(store, keys.get(0))).isEqualTo(saved);
    assertThat(rawValue(store, keys.get(1))).isEqualTo(saved);
  }

  @Test
  void saveAllAsync_sealedStore_writesTheFormatSaveWrites_eachValueWithItsOwnNonce()
      throws Exception {
    RedisTokenSnapshotStore store = sealedStore();
    TokenSnapshot snapshot = TokenSnapshot.of(caller("alice"), Instant.now());
    List<TaskKey> keys = keys(2, i -> "sealed-" + i);
    TaskKey savedKey = key("saved-one-by-one");
    store.save(savedKey, snapshot, TTL);
    assertThat(outcome(store.saveAllAsync(keys, snapshot, TTL).toCompletableFuture())).isEmpty();
    byte[] saved = rawValue(store, savedKey);
    byte[] first = rawValue(store, keys.get(0));
    byte[] second = rawValue(store, keys.get(1));
    int header = 3 + "k1".length();
    assertThat(first).hasSameSizeAs(saved).startsWith(Arrays.copyOf(saved, header));
    assertThat(TestSupport.containsBytes(first, "bearer-alice")).isFalse();
    assertThat(Arrays.copyOfRange(first, header, header + 24))
        .as("each value's nonce is drawn for it")
        .isNotEqualTo(Arrays.copyOfRange(second, header, header + 24));
    assertThat(store.load(keys.get(1))).contains(snapshot);
  }

  @Test
  void saveAllAsync_sealedValue_copiedUnderAnotherKey_failsToOpen() throws Exception {
    RedisTokenSnapshotStore store = sealedStore();
    AccessToken alice = caller("alice");
    List<TaskKey> keys = keys(2, i -> "bound-" + i);
    assertThat(outcome(store.saveAllAsync(keys, TokenSnapshot.of(alice, Instant.now()), TTL)
        .toCompletableFuture())).isEmpty();
    Resp.callBinary(REDIS.get().port(), "SET".getBytes(StandardCharsets.UTF_8),
        store.redisKey(keys.get(1)), rawValue(store, keys.get(0)));
    Throwable failure = catchThrowable(() -> store.load(keys.get(1)));
    assertThat(failure).isInstanceOf(TokenStoreException.class)
        .hasMessageContaining("failed authentication");
    assertNeverContains(failure, alice.token());
  }

  @Test
  void saveAllAsync_whenRedisRefusesSomeKeys_failsWithBatchSaveExceptionNamingExactlyThose()
      throws Exception {
    String user = "batch-" + UUID.randomUUID();
    aclUsers.add(user);
    // Allowed only keys holding "ok-": every other SET is answered NOPERM by Redis itself.
    assertThat(Resp.call(REDIS.get().port(), "ACL", "SETUSER", user, "on", ">pw", "~*ok-*",
        "+@all")).isEqualTo("OK");
    RedisTokenSnapshotStore store =
        sealedStore("redis://" + user + ":pw@127.0.0.1:" + REDIS.get().port());
    AccessToken alice = caller("alice");
    List<TaskKey> keys = keys(600, i -> (i % 7 == 3 ? "denied-" : "ok-") + i);
    CompletableFuture<Void> stage = store.saveAllAsync(
        keys, TokenSnapshot.of(alice, Instant.now()), TTL).toCompletableFuture();
    Throwable failure = outcome(stage).orElseThrow(() -> new AssertionError(
        "a batch with refused writes completed normally"));
    List<TaskKey> denied = keys.stream().filter(k -> k.taskId().startsWith("denied-")).toList();
    assertThat(failure).isInstanceOfSatisfying(BatchSaveException.class, e -> {
      assertThat(e.failures()).containsOnlyKeys(denied);
      assertThat(e.failures().values()).allMatch(TokenStoreException.class::isInstance);
      assertThat(e.batchSize()).isEqualTo(600);
    });
    assertNeverContains(failure, alice.token());
    RedisTokenSnapshotStore reader = sealedStore();
    for (TaskKey key : keys) {
      assertThat(reader.load(key).isPresent()).as("stored: " + key)
          .isEqualTo(!denied.contains(key));
    }
  }

  @Test
  void captureAllAsync_partialFailure_publishesEventsOnlyForTheStoredKeys() throws Exception {
    String user = "batch-" + UUID.randomUUID();
    aclUsers.add(user);
    assertThat(Resp.call(REDIS.get().port(), "ACL", "SETUSER", user, "on", ">pw", "~*ok-*",
        "+@all")).isEqualTo("OK");
    Baton baton = baton(sealedStore("redis://" + user + ":pw@127.0.0.1:" + REDIS.get().port()));
    List<TaskKey> keys = keys(10, i -> (i < 4 ? "denied-" : "ok-") + i);
    Throwable failure = outcome(baton.captureAllAsync(keys)).orElseThrow();
    assertThat(failure).isInstanceOf(BatchSaveException.class);
    assertThat(events).extracting(BatonEvent::key).containsExactlyInAnyOrderElementsOf(
        keys.subList(4, 10));
  }

  @Test
  void captureAllAsync_emptyBatch_completesAtOnce_withNoEvent() {
    Baton baton = baton(sealedStore());
    CompletableFuture<List<TaskKey>> captured = baton.captureAllAsync(List.of());
    assertThat(captured).isCompletedWithValue(List.of());
    assertThat(events).isEmpty();
  }

  @Test
  void captureAllAsync_tenThousandKeys_completes_andEveryKeyLoads() throws Exception {
    RedisTokenSnapshotStore store = sealedStore();
    Baton baton = baton(store);
    AccessToken alice = caller("alice");
    List<TaskKey> keys = keys(10_000, i -> "large-" + i);
    CompletableFuture<List<TaskKey>> captured;
    try (Scope request = baton.bindRequest(alice)) {
      captured = baton.captureAllAsync(keys);
    }
    assertThat(outcome(captured)).isEmpty();
    for (TaskKey key : keys) {
      assertThat(store.load(key)).map(s -> s.accessToken().orElseThrow()).contains(alice);
    }
  }

  @Test
  void captureAllAsync_fromSeveralThreadsAtOnce_eachKeyHoldsItsOwnThreadsCaller()
      throws Exception {
    RedisTokenSnapshotStore store = sealedStore();
    Baton baton = baton(store);
    int threads = 4;
    var start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      var batches = new ArrayList<Future<Map.Entry<AccessToken, List<TaskKey>>>>();
      for (int t = 0; t < threads; t++) {
        AccessToken caller = caller("thread-" + t);
        List<TaskKey> keys = keys(700, i -> "concurrent-" + i);
        batches.add(pool.submit(() -> {
          start.await();
          try (Scope request = baton.bindRequest(caller)) {
            return Map.entry(caller, baton.captureAllAsync(keys)
                .get(FUTURE_BOUND.toMillis(), TimeUnit.MILLISECONDS));
          }
        }));
      }
      start.countDown();
      for (var batch : batches) {
        var result = batch.get(FUTURE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        for (TaskKey key : result.getValue()) {
          assertThat(store.load(key)).map(s -> s.accessToken().orElseThrow())
              .contains(result.getKey());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(events).hasSize(threads * 700);
  }

  @Test
  void captureAllAsync_expiredCallerUnderFail_failsWithCallerExpired_andStoresNothing()
      throws Exception {
    RedisTokenSnapshotStore store = sealedStore();
    Baton baton = baton(store);
    AccessToken expired = new AccessToken("bearer-expired-" + UUID.randomUUID(), "client",
        List.of(), Instant.now().minusSeconds(60), null, Map.of());
    List<TaskKey> keys = keys(3, i -> "expired-" + i);
    CompletableFuture<List<TaskKey>> captured;
    try (Scope request = baton.bindRequest(expired)) {
      captured = baton.captureAllAsync(keys);
    }
    Throwable failure = outcome(captured).orElseThrow();
    assertThat(failure).isInstanceOfSatisfying(RestoreFailedException.class, e ->
        assertThat(e.reason()).isEqualTo(RestoreFailedException.Reason.CALLER_EXPIRED));
    assertThat(events).extracting(BatonEvent::type)
        .containsOnly(BatonEvent.Type.CAPTURED_EXPIRED).hasSize(3);
    for (TaskKey key : keys) {
      assertThat(store.load(key)).isEmpty();
    }
  }

  @Test
  void saveAllAsync_whenRedisIsDown_doesNotThrow_andFailsNamingEveryKey() throws Exception {
    RedisTokenSnapshotStore store = sealedStore();
    AccessToken alice = caller("alice");
    REDIS.get().kill();
    List<TaskKey> keys = keys(300, i -> "down-" + i);
    var stage = store.saveAllAsync(keys, TokenSnapshot.of(alice, Instant.now()), TTL)
        .toCompletableFuture();
    Throwable failure = outcome(stage).orElseThrow();
    assertThat(failure).isInstanceOfSatisfying(BatchSaveException.class, e ->
        assertThat(e.failures()).containsOnlyKeys(keys));
    assertNeverContains(failure, alice.token());
  }

  @Test
  void saveAllAsync_oversizedToken_throwsIaeAtOnce_andStoresNothing() {
    RedisTokenSnapshotStore store = sealedStore();
    String secret = "oversized-" + "x".repeat(70_000);
    AccessToken huge = new AccessToken(secret, "client", List.of(), null, null, Map.of());
    List<TaskKey> keys = keys(3, i -> "oversized-" + i);
    Throwable thrown = catchThrowable(() ->
        store.saveAllAsync(keys, TokenSnapshot.of(huge, Instant.now()), TTL));
    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    assertNeverContains(thrown, secret.substring(0, 40));
    for (TaskKey key : keys) {
      assertThat(store.load(key)).isEmpty();
    }
  }

  @Test
  void saveAllAsync_closedStore_throwsIllegalStateAtOnce() {
    RedisTokenSnapshotStore store = sealedStore();
    store.close();
    assertThatThrownBy(() -> store.saveAllAsync(keys(1, i -> "closed"),
        TokenSnapshot.of(caller("alice"), Instant.now()), TTL))
        .isInstanceOf(IllegalStateException.class);
  }
}
