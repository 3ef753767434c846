package dev.baton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatonMetricsTest {
  private final Callers.MutableClock clock = new Callers.MutableClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MemoryTokenSnapshotStore memory =
      MemoryTokenSnapshotStore.builder().codec(JsonSnapshotCodec.create()).build();
  private final Baton baton =
      BatonMetrics.of(registry).instrument(Baton.builder().clock(clock), memory).build();
  private final AccessToken alice = Callers.token("alice");

  @AfterEach
  void close() {
    memory.close();
    assertThat(Baton.isBound()).isFalse();
  }

  private double events(String type, String reason) {
    return registry.get(BatonMetrics.EVENTS).tag("type", type).tag("reason", reason).counter()
        .count();
  }

  private long operations(String operation, String outcome) {
    return registry.get(BatonMetrics.STORE_OPERATION).tag("operation", operation)
        .tag("outcome", outcome).tag("store", "MemoryTokenSnapshotStore").timer().count();
  }

  @Test
  void of_registersEveryEventTypeUpFrontAtZero() {
    assertThat(registry.find(BatonMetrics.EVENTS).counters())
        .hasSize(BatonEvent.Type.values().length + 2)
        .allSatisfy(c -> assertThat(c.count()).isZero());
    for (BatonEvent.Type type : BatonEvent.Type.values()) {
      assertThat(registry.find(BatonMetrics.EVENTS).tag("type", type.name().toLowerCase())
          .counters()).isNotEmpty();
    }
  }

  @Test
  void captureThenRun_countsCapturedRestoredDeletedAndTimesTheStore() {
    TaskKey key;
    try (Scope scope = baton.bindRequest(alice)) {
      key = baton.capture();
    }
    baton.run(key, () -> assertThat(Baton.currentToken()).contains(alice));
    assertThat(events("captured", "none")).isEqualTo(1);
    assertThat(events("restored", "none")).isEqualTo(1);
    assertThat(events("deleted", "none")).isEqualTo(1);
    assertThat(operations("save", "success")).isEqualTo(1);
    assertThat(operations("load", "found")).isEqualTo(1);
    assertThat(operations("delete", "found")).isEqualTo(1);
  }

  @Test
  void captureWithoutCaller_countsCapturedAnonymous() {
    baton.capture();
    assertThat(events("captured_anonymous", "none")).isEqualTo(1);
  }

  @Test
  void captureOfExpiredToken_countsCapturedExpired() {
    AccessToken old = Callers.token("old", Callers.NOW.minusSeconds(1));
    // refused under the default FAIL policy, and counted
    assertThatThrownBy(() -> baton.capture(TaskKey.random(old), old))
        .isInstanceOf(dev.baton.RestoreFailedException.class);
    assertThat(events("captured_expired", "none")).isEqualTo(1);
  }

  @Test
  void runAfterTokenExpired_countsExpired() {
    TaskKey key;
    try (Scope scope = baton.bindRequest(Callers.token("brief", Callers.NOW.plusSeconds(60)))) {
      key = baton.capture();
    }
    clock.advance(Duration.ofMinutes(2));
    // the task does not run under the default FAIL policy, and the expiry is counted
    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOf(dev.baton.RestoreFailedException.class);
    assertThat(events("expired", "none")).isEqualTo(1);
  }

  @Test
  void runOfUnknownKey_countsMissingAndTimesTheLoadAsMissing() {
    TaskKey key = TaskKey.random(alice);
    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(events("missing", "none")).isEqualTo(1);
    assertThat(operations("load", "missing")).isEqualTo(1);
  }

  @Test
  void runOfUndecodableValue_countsRestoreFailedDecodeFailed() {
    TaskKey key = TaskKey.random(alice);
    memory.putRawValue(key, "not a snapshot".getBytes(StandardCharsets.UTF_8),
        Duration.ofMinutes(1));
    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(events("restore_failed", "decode_failed")).isEqualTo(1);
    assertThat(registry.get(BatonMetrics.STORE_OPERATION).tag("operation", "load")
        .tag("outcome", "error").tag("error", "SnapshotDecodeException").timer().count())
        .isEqualTo(1);
  }

  @Test
  void runOnFailingStore_countsRestoreFailedStoreFailedAndTimesTheError() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Baton failing =
        BatonMetrics.of(meters).instrument(Baton.builder().clock(clock), new FailingStore()).build();
    assertThatThrownBy(() -> failing.run(TaskKey.random(alice), () -> { }))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(meters.get(BatonMetrics.EVENTS).tag("type", "restore_failed")
        .tag("reason", "store_failed").counter().count()).isEqualTo(1);
    Timer load = meters.get(BatonMetrics.STORE_OPERATION).tag("operation", "load")
        .tag("outcome", "error").tag("store", "FailingStore").tag("error", "TokenStoreException")
        .timer();
    assertThat(load.count()).isEqualTo(1);
  }

  @Test
  void store_touchAndTake_areTimedWithTheirOutcome() {
    TokenSnapshotStore timed = BatonMetrics.of(registry).store(memory);
    TaskKey key;
    try (Scope scope = baton.bindRequest(alice)) {
      key = baton.capture();
    }
    assertThat(timed.touch(key, Duration.ofMinutes(5))).isTrue();
    assertThat(timed.take(key)).isPresent();
    assertThat(timed.take(key)).isEmpty();
    assertThat(timed.touch(key, Duration.ofMinutes(5))).isFalse();
    assertThat(operations("touch", "found")).isEqualTo(1);
    assertThat(operations("touch", "missing")).isEqualTo(1);
    assertThat(operations("take", "found")).isEqualTo(1);
    assertThat(operations("take", "missing")).isEqualTo(1);
  }

  @Test
  void store_saveAsync_goesToTheDelegatesAsyncPath_andIsTimedWhenItsStageCompletes() {
    AsyncOnlyStore async = new AsyncOnlyStore();
    TokenSnapshotStore timed = BatonMetrics.of(registry).store(async);
    TokenSnapshot snapshot = TokenSnapshot.of(alice, clock.instant());

    Duration ttl = Duration.ofMinutes(1);
    CompletionStage<Void> stored = timed.saveAsync(TaskKey.random(alice), snapshot, ttl);
    CompletionStage<Void> failed = timed.saveAsync(TaskKey.random(alice), snapshot, ttl);
    assertThat(registry.find(BatonMetrics.STORE_OPERATION).timers()).isEmpty();

    async.pending.get(0).complete(null);
    async.pending.get(1).completeExceptionally(new TokenStoreException("backend down"));
    assertThat(stored.toCompletableFuture()).isCompleted().isNotCompletedExceptionally();
    assertThat(failed.toCompletableFuture()).isCompletedExceptionally();
    assertThat(registry.get(BatonMetrics.STORE_OPERATION).tag("operation", "save")
        .tag("outcome", "success").tag("store", "AsyncOnlyStore").timer().count()).isEqualTo(1);
    assertThat(registry.get(BatonMetrics.STORE_OPERATION).tag("operation", "save")
        .tag("outcome", "error").tag("error", "TokenStoreException").tag("store", "AsyncOnlyStore")
        .timer().count()).isEqualTo(1);
  }

  @Test
  void store_delegatesCapabilitiesToStringAndClose() {
    TokenSnapshotStore timed = BatonMetrics.of(registry).store(memory);
    assertThat(timed.capabilities()).isEqualTo(memory.capabilities());
    assertThat(timed.toString()).contains(memory.toString());
    timed.close();
    assertThatThrownBy(() -> memory.load(TaskKey.random(alice)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void store_exceptionsPassThroughUnchanged() {
    TokenSnapshotStore timed = BatonMetrics.of(registry).store(new FailingStore());
    assertThatThrownBy(() -> timed.delete(TaskKey.random(alice)))
        .isInstanceOf(TokenStoreException.class).hasMessage("backend down");
  }

  @Test
  void listener_recordsEachEventOnce() {
    BatonMetrics.of(registry).listener()
        .onEvent(new BatonEvent(BatonEvent.Type.CLEANUP_FAILED, TaskKey.random(alice),
            new TokenStoreException("backend down")));
    Counter counter = registry.get(BatonMetrics.EVENTS).tag("type", "cleanup_failed")
        .tag("reason", "store_failed").counter();
    assertThat(counter.count()).isEqualTo(1);
  }

  @Test
  void meters_neverNameTheTokenOrTheKey() {
    TaskKey key;
    try (Scope scope = baton.bindRequest(alice)) {
      key = baton.capture();
    }
    baton.run(key, () -> { });
    String everything = registry.getMetersAsString();
    assertThat(everything).doesNotContain(alice.token()).doesNotContain(key.taskId())
        .doesNotContain("alice");
  }

  @Test
  void of_null_isRejected() {
    assertThatThrownBy(() -> BatonMetrics.of((SimpleMeterRegistry) null))
        .isInstanceOf(NullPointerException.class).hasMessage("registry");
  }

  /** A store whose writes complete only when the test completes them; {@code save} is refused. */
  static final class AsyncOnlyStore implements TokenSnapshotStore {
    final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      throw new AssertionError("saveAsync must reach the delegate's saveAsync, not save");
    }

    @Override
    public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      var stage = new CompletableFuture<Void>();
      pending.add(stage);
      return stage;
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      return Optional.empty();
    }

    @Override
    public boolean delete(TaskKey key) {
      return false;
    }

    @Override
    public void close() {}
  }

  /** A store whose backend is down: every operation fails as a real outage would. */
  static final class FailingStore implements TokenSnapshotStore {
    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      throw new TokenStoreException("backend down");
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      throw new TokenStoreException("backend down");
    }

    @Override
    public boolean delete(TaskKey key) {
      throw new TokenStoreException("backend down");
    }

    @Override
    public void close() {}
  }
}
