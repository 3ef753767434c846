package dev.baton.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SnapshotDecodeException;
import dev.baton.store.TokenStoreException;
import dev.baton.test.FaultInjectingStore.Hold;
import dev.baton.test.FaultInjectingStore.Operation;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultInjectingStoreTest {
  private static final Duration TTL = Duration.ofMinutes(10);

  private final TestClock clock = TestClock.create();
  private final FaultInjectingStore store = FaultInjectingStore.builder().ticker(clock).build();
  private final AccessToken alice = TestTokens.on(clock).token("alice");
  private final TokenSnapshot snapshot = TokenSnapshot.of(alice, clock.instant());
  private final TaskKey key = new TaskKey("scope", "task-1");

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void outage_failsEveryOperationUntilClosed() {
    store.save(key, snapshot, TTL);

    try (var outage = store.outage()) {
      assertThatThrownBy(() -> store.load(key)).isInstanceOf(TokenStoreException.class);
      assertThatThrownBy(() -> store.save(key, snapshot, TTL))
          .isInstanceOf(TokenStoreException.class);
      assertThatThrownBy(() -> store.delete(key)).isInstanceOf(TokenStoreException.class);
      assertThatThrownBy(() -> store.touch(key, TTL)).isInstanceOf(TokenStoreException.class);
      assertThatThrownBy(() -> store.take(key)).isInstanceOf(TokenStoreException.class);
    }

    assertThat(store.load(key)).contains(snapshot);
  }

  @Test
  void outage_messages_nameTheKeyNeverTheToken() {
    try (var outage = store.outage()) {
      Throwable thrown = catchThrowable(() -> store.save(key, snapshot, TTL));

      assertThat(thrown).hasMessageContaining(key.toString()).hasMessageNotContaining(alice.token());
    }
  }

  @Test
  void failNext_failsExactlyThatManyOperations() {
    store.save(key, snapshot, TTL);
    store.failNext(2);

    assertThatThrownBy(() -> store.load(key)).isInstanceOf(TokenStoreException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(TokenStoreException.class);
    assertThat(store.load(key)).contains(snapshot);
  }

  @Test
  void failNext_ofOneOperation_leavesOthersWorking() {
    store.save(key, snapshot, TTL);
    store.failNext(Operation.DELETE, 1);

    assertThat(store.load(key)).contains(snapshot);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(TokenStoreException.class);
    assertThat(store.delete(key)).isTrue();
  }

  @Test
  void failNext_zero_isRejected() {
    assertThatThrownBy(() -> store.failNext(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be positive: 0");
  }

  @Test
  void faults_leaveArgumentChecksFirst() {
    try (var outage = store.outage()) {
      assertThatThrownBy(() -> store.load(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> store.save(key, snapshot, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closedStore_throwsIllegalStateEvenDuringAnOutage() {
    var outage = store.outage();
    store.close();

    assertThatThrownBy(() -> store.load(key)).isInstanceOf(IllegalStateException.class);
    outage.close();
  }

  @Test
  void latency_delaysButCompletesOperations() {
    try (var slow = store.latency(Duration.ofMillis(1))) {
      store.save(key, snapshot, TTL);

      assertThat(store.load(key)).contains(snapshot);
    }
  }

  @Test
  void holdNext_blocksTheOperationUntilReleased() throws Exception {
    store.save(key, snapshot, TTL);
    Hold hold = store.holdNext(Operation.LOAD);
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<TokenSnapshot>> load = worker.submit(() -> store.load(key));

      assertThat(hold.awaitHeld()).isEqualTo(key);
      assertThat(load).isNotDone();
      hold.release();
      assertThat(load.get()).contains(snapshot);
    } finally {
      worker.shutdownNow();
    }
  }

  @Test
  void holdNext_thenAdvancingTime_letsTheHeldLoadFindTheEntryExpired() throws Exception {
    store.save(key, snapshot, Duration.ofMinutes(1));
    Hold hold = store.holdNext(Operation.LOAD);
    CompletableFuture<Optional<TokenSnapshot>> load =
        CompletableFuture.supplyAsync(() -> store.load(key));

    hold.awaitHeld();
    clock.advance(Duration.ofMinutes(2));
    hold.release();

    assertThat(load.get()).isEmpty();
  }

  @Test
  void close_releasesAHeldOperation() throws Exception {
    Hold hold = store.holdNext(Operation.LOAD);
    CompletableFuture<Optional<TokenSnapshot>> load =
        CompletableFuture.supplyAsync(() -> store.load(key));
    hold.awaitHeld();

    store.close();

    assertThat(load).failsWithin(Duration.ofMinutes(1))
        .withThrowableThat().havingRootCause().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void drop_removesTheEntryBehindTheApplicationsBack() {
    store.save(key, snapshot, TTL);

    assertThat(store.drop(key)).isTrue();
    assertThat(store.load(key)).isEmpty();
    assertThat(store.drop(key)).isFalse();
  }

  @Test
  void corrupt_makesTheNextLoadFailToDecode() {
    store.save(key, snapshot, TTL);

    store.corrupt(key);

    assertThatThrownBy(() -> store.load(key))
        .isInstanceOf(SnapshotDecodeException.class)
        .isInstanceOf(TokenStoreException.class);
    assertThat(store.contains(key)).isTrue();
  }

  @Test
  void corrupt_keepsTheTtl() {
    store.save(key, snapshot, Duration.ofMinutes(1));
    store.corrupt(key);

    clock.advance(Duration.ofMinutes(1));

    assertThat(store.contains(key)).isFalse();
  }

  @Test
  void corrupt_inObjectMode_isRejected() {
    try (FaultInjectingStore objects =
        FaultInjectingStore.builder().ticker(clock).objectMode().build()) {
      objects.save(key, snapshot, TTL);

      assertThatThrownBy(() -> objects.corrupt(key))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("bytes mode");
    }
  }

  @Test
  void corrupt_missingKey_isRejected() {
    assertThatThrownBy(() -> store.corrupt(key))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no live snapshot");
  }

  @Test
  void keys_listsLiveEntriesOnly() {
    TaskKey other = new TaskKey("scope", "task-2");
    TaskKey gone = new TaskKey("scope", "task-3");
    store.save(key, snapshot, Duration.ofMinutes(1));
    store.save(other, snapshot, TTL);
    store.save(gone, snapshot, TTL);
    store.delete(gone);

    clock.advance(Duration.ofMinutes(1));

    assertThat(store.keys()).containsExactly(other);
  }

  @Test
  void inspection_goesAroundFaultsAndDoesNotConsumeThem() {
    store.save(key, snapshot, TTL);
    store.failNext(1);

    try (var outage = store.outage()) {
      assertThat(store.peek(key)).contains(snapshot);
      assertThat(store.contains(key)).isTrue();
      assertThat(store.keys()).containsExactly(key);
    }
    assertThatThrownBy(() -> store.load(key)).isInstanceOf(TokenStoreException.class);
  }
}
