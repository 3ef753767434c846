package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The default {@link TokenSnapshotStore#saveAllAsync}: {@code saveAsync} per key, every failure
 * gathered into one {@link BatchSaveException}, never dropped.
 */
class DefaultSaveAllAsyncTest {
  private static final TokenSnapshot SNAPSHOT =
      TokenSnapshot.of(AccessToken.of("secret-token", "client"), Instant.EPOCH);
  private static final Duration TTL = Duration.ofMinutes(1);

  /** Saves into a map; fails keys whose id starts with "down". */
  private static final class SyncOnlyStore implements TokenSnapshotStore {
    final Map<TaskKey, TokenSnapshot> entries = new ConcurrentHashMap<>();
    volatile boolean closed;

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(snapshot, "snapshot");
      TokenSnapshotStore.requirePositiveTtl(ttl);
      if (closed) {
        throw new IllegalStateException("store is closed");
      }
      if (key.taskId().startsWith("down")) {
        throw new TokenStoreException("save failed for " + key + ": backend unavailable");
      }
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
    public void close() {
      closed = true;
    }
  }

  private final SyncOnlyStore store = new SyncOnlyStore();

  private static List<TaskKey> keys(String... ids) {
    return Arrays.stream(ids).map(id -> new TaskKey("tenant", id)).toList();
  }

  @Test
  void saveAllAsync_byDefault_storesEveryKey_andCompletesNormally() {
    List<TaskKey> keys = keys("a", "b", "c");
    CompletionStage<Void> stage = store.saveAllAsync(keys, SNAPSHOT, TTL);
    assertThat(stage.toCompletableFuture()).isCompleted().isNotCompletedExceptionally();
    assertThat(store.entries).containsOnlyKeys(keys);
  }

  @Test
  void saveAllAsync_byDefault_someKeysFail_failsWithBatchSaveExceptionNamingExactlyThoseKeys() {
    List<TaskKey> keys = keys("a", "down-1", "b", "down-2");
    CompletionStage<Void> stage = store.saveAllAsync(keys, SNAPSHOT, TTL);
    assertThatThrownBy(() -> stage.toCompletableFuture().join()).cause()
        .isInstanceOfSatisfying(BatchSaveException.class, e -> {
          assertThat(e.failures()).containsOnlyKeys(keys.get(1), keys.get(3));
          assertThat(e.failures().values()).allMatch(TokenStoreException.class::isInstance);
          assertThat(e.batchSize()).isEqualTo(4);
          assertThat(e).hasMessageStartingWith("2 of 4 writes of a batch failed")
              .hasMessageNotContaining("secret-token");
        });
    assertThat(store.entries).containsOnlyKeys(keys.get(0), keys.get(2));
  }

  @Test
  void saveAllAsync_byDefault_emptyBatch_completesAtOnce_andWritesNothing() {
    CompletionStage<Void> stage = store.saveAllAsync(List.of(), SNAPSHOT, TTL);
    assertThat(stage.toCompletableFuture()).isCompleted().isNotCompletedExceptionally();
    assertThat(store.entries).isEmpty();
  }

  @Test
  void saveAllAsync_byDefault_badTtl_throwsAtOnce_andWritesNothing() {
    assertThatThrownBy(() -> store.saveAllAsync(keys("a"), SNAPSHOT, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be positive: PT0S");
    assertThat(store.entries).isEmpty();
  }

  @Test
  void saveAllAsync_byDefault_nullKeyInTheBatch_throwsNpeAtOnce_andWritesNothing() {
    var keys = new ArrayList<TaskKey>(keys("a"));
    keys.add(null);
    assertThatThrownBy(() -> store.saveAllAsync(keys, SNAPSHOT, TTL))
        .isInstanceOf(NullPointerException.class);
    assertThat(store.entries).isEmpty();
  }

  @Test
  void saveAllAsync_byDefault_closedStore_throwsIllegalStateAtOnce() {
    store.close();
    assertThatThrownBy(() -> store.saveAllAsync(keys("a"), SNAPSHOT, TTL))
        .isInstanceOf(IllegalStateException.class);
  }
}
