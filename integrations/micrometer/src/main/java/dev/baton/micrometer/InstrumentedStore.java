package dev.baton.micrometer;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A store whose operations are recorded; everything else is the delegate's. */
final class InstrumentedStore implements TokenSnapshotStore {
  private final TokenSnapshotStore delegate;
  private final OperationRecorder recorder;
  private final String type;

  InstrumentedStore(TokenSnapshotStore delegate, OperationRecorder recorder) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.recorder = recorder;
    this.type = delegate.getClass().getSimpleName();
  }

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    recorder.record("save", type, () -> {
      delegate.save(key, snapshot, ttl);
      return Boolean.TRUE;
    }, done -> "success");
  }

  /**
   * The delegate's own {@code saveAsync}, recorded as {@code save} when its stage completes: a
   * decorated store keeps its asynchronous path (the Redis store's pipelining).
   */
  @Override
  public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    return recorder.recordAsync("save", type, () -> delegate.saveAsync(key, snapshot, ttl));
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    return recorder.record("load", type, () -> delegate.load(key), InstrumentedStore::found);
  }

  @Override
  public boolean delete(TaskKey key) {
    return recorder.record("delete", type, () -> delegate.delete(key), InstrumentedStore::found);
  }

  @Override
  public boolean touch(TaskKey key, Duration ttl) {
    return recorder.record("touch", type, () -> delegate.touch(key, ttl),
        InstrumentedStore::found);
  }

  @Override
  public Optional<TokenSnapshot> take(TaskKey key) {
    return recorder.record("take", type, () -> delegate.take(key), InstrumentedStore::found);
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "Instrumented[" + delegate + "]";
  }

  // A null from the delegate is passed on as is: Baton reports a broken store itself.
  private static String found(Optional<TokenSnapshot> result) {
    return result == null || result.isEmpty() ? "missing" : "found";
  }

  private static String found(Boolean result) {
    return result ? "found" : "missing";
  }
}
