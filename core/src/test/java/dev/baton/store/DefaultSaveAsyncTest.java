package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The default {@link TokenSnapshotStore#saveAsync}: save on the calling thread, failures in the stage. */
class DefaultSaveAsyncTest {
  private static final TaskKey KEY = new TaskKey("tenant", "t1");
  private static final TokenSnapshot SNAPSHOT =
      TokenSnapshot.of(AccessToken.of("secret-token", "client"), Instant.EPOCH);

  /** Saves into a map, or fails as its backend would, or rejects like a size limit. */
  private static final class SyncOnlyStore implements TokenSnapshotStore {
    final Map<TaskKey, TokenSnapshot> entries = new ConcurrentHashMap<>();
    volatile boolean backendDown;

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(snapshot, "snapshot");
      TokenSnapshotStore.requirePositiveTtl(ttl);
      if (backendDown) {
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
    public void close() {}
  }

  private final SyncOnlyStore store = new SyncOnlyStore();

  @Test
  void saveAsync_byDefault_hasSavedWhenItReturns_withACompletedStage() {
    CompletionStage<Void> stage = store.saveAsync(KEY, SNAPSHOT, Duration.ofMinutes(1));
    assertThat(stage.toCompletableFuture()).isCompleted().isNotCompletedExceptionally();
    assertThat(store.entries).containsEntry(KEY, SNAPSHOT);
  }

  @Test
  void saveAsync_byDefault_backendFailure_failsTheStageInsteadOfThrowing() {
    store.backendDown = true;
    CompletionStage<Void> stage = store.saveAsync(KEY, SNAPSHOT, Duration.ofMinutes(1));
    assertThatThrownBy(() -> stage.toCompletableFuture().join()).cause()
        .isInstanceOf(TokenStoreException.class).hasMessageNotContaining("secret-token");
  }

  @Test
  void saveAsync_byDefault_badTtl_throwsAtOnce_likeSave() {
    assertThatThrownBy(() -> store.saveAsync(KEY, SNAPSHOT, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be positive: PT0S");
    assertThat(store.entries).isEmpty();
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void saveAsync_byDefault_nullArgument_throwsNpeAtOnce() {
    assertThatThrownBy(() -> store.saveAsync(null, SNAPSHOT, Duration.ofMinutes(1)))
        .isInstanceOf(NullPointerException.class);
  }
}
