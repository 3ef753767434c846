package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A map store whose {@code saveAsync} writes stay pending until the test completes or fails them,
 * on whichever thread it chooses, as a remote store's I/O thread would. Records the TTL of every
 * write, synchronous or not. Ignores TTLs otherwise.
 */
class PendingWritesStore implements TokenSnapshotStore {
  /** A write sent but not yet acknowledged. */
  record Pending(TaskKey key, TokenSnapshot snapshot, Duration ttl,
      CompletableFuture<Void> stage) {}

  final Map<TaskKey, TokenSnapshot> entries = new ConcurrentHashMap<>();
  final Map<TaskKey, Duration> ttls = new ConcurrentHashMap<>();
  private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    TokenSnapshotStore.requirePositiveTtl(ttl);
    entries.put(key, snapshot);
    ttls.put(key, ttl);
  }

  @Override
  public CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    TokenSnapshotStore.requirePositiveTtl(ttl);
    var stage = new CompletableFuture<Void>();
    pending.add(new Pending(key, snapshot, ttl, stage));
    return stage;
  }

  /** The oldest pending write (waits a bounded time for one to arrive). */
  Pending next() throws InterruptedException {
    Pending p = pending.poll(10, TimeUnit.SECONDS);
    if (p == null) {
      throw new AssertionError("no saveAsync write arrived within 10 s");
    }
    return p;
  }

  /** Stores the oldest pending write and completes its stage, on the calling thread. */
  Pending completeNext() throws InterruptedException {
    Pending p = next();
    entries.put(p.key(), p.snapshot());
    ttls.put(p.key(), p.ttl());
    p.stage().complete(null);
    return p;
  }

  /** Fails the oldest pending write with {@code failure}, storing nothing. */
  Pending failNext(TokenStoreException failure) throws InterruptedException {
    Pending p = next();
    p.stage().completeExceptionally(failure);
    return p;
  }

  boolean hasPending() {
    return !pending.isEmpty();
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
