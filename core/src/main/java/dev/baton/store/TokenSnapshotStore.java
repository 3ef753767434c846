package dev.baton.store;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps {@link TokenSnapshot}s under {@link TaskKey}s for a limited time: the SPI that store modules
 * implement (memory, Redis, JDBC, ...). Certify an implementation with the {@code baton-tck} kit.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread-safety:</b> every method may be called from any thread concurrently.
 *   <li><b>Time:</b> TTLs are relative durations, applied by the store's own clock (the backend's,
 *       for remote stores), so client and server clocks never have to agree. An entry is readable
 *       strictly before its TTL has elapsed and never after; a store may round a TTL up to its
 *       granularity (e.g. 1 ms), never down. Every positive TTL is accepted, up to
 *       {@code ChronoUnit.FOREVER.getDuration()}: one longer than the backend can hold is
 *       saturated to the longest it can (at least 100 years), never refused, wrapped or cut
 *       shorter (the memory store keeps 146 years, Caffeine's limit; Redis about 146 million, so
 *       that {@code PX} plus the server's clock fits 64 bits; PostgreSQL 200,000, within
 *       {@code timestamptz}). Each store documents its maximum.
 *   <li><b>Values:</b> {@link #load} returns a snapshot equal to the one saved; later saves never
 *       change an instance already returned.
 *   <li><b>Keys:</b> different keys never share an entry (use {@link TaskKey#encoded()}, which is
 *       injective).
 *   <li><b>Arguments:</b> null arguments throw {@link NullPointerException}; a TTL that is zero or
 *       negative, or a snapshot larger than the store accepts, throws
 *       {@link IllegalArgumentException}; nothing is stored by a rejected call.
 *   <li><b>Failures:</b> backend failures throw {@link TokenStoreException} (never an empty result in
 *       place of an error); messages may name the key, never the token. {@link #saveAsync} reports
 *       them through its stage instead, and {@link #saveAllAsync} through its stage, naming each
 *       key that failed ({@link BatchSaveException}).
 *   <li><b>Lifecycle:</b> after {@link #close()}, every operation throws
 *       {@link IllegalStateException}; closing twice is harmless.
 * </ul>
 *
 * <p>{@link #touch} and {@link #take} are optional: a store that cannot offer them leaves the default
 * methods, which throw {@link UnsupportedOperationException}, and says so in {@link #capabilities()}.
 */
public interface TokenSnapshotStore extends AutoCloseable {

  /**
   * Stores {@code snapshot} under {@code key} for {@code ttl}, replacing any previous entry and its
   * TTL.
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive or the snapshot is too large
   * @throws TokenStoreException if the backend fails
   * @throws IllegalStateException if the store is closed
   */
  void save(TaskKey key, TokenSnapshot snapshot, Duration ttl);

  /**
   * Stores {@code snapshot} under {@code key} for {@code ttl} like {@link #save}, without waiting
   * for the backend: for capturing many tasks at once, where a remote store can have all the writes
   * in flight together (the Redis store pipelines them on its one connection).
   *
   * <p><b>Contract.</b> Everything about the stored entry is as for {@link #save} (replacing
   * semantics, TTL rules, size limit, key isolation). In addition:
   * <ul>
   *   <li>When the stage completes normally, the entry is visible: a {@link #load} that starts after
   *       completion sees it (or a later save).
   *   <li>Argument and state errors are thrown at once, exactly as {@link #save} throws them, and
   *       nothing is written: {@link NullPointerException} for a null argument,
   *       {@link IllegalArgumentException} for a TTL that is not positive or a snapshot that is too
   *       large, {@link IllegalStateException} for a closed store. They are the caller's mistakes,
   *       detectable before any I/O, so a batch stops at the first one.
   *   <li>Backend failures never throw: the stage completes exceptionally with a
   *       {@link TokenStoreException} (its message names the key, never the token). A store closed
   *       while the write is in flight may complete it with {@link IllegalStateException} instead.
   *   <li>The stage may complete on a thread of the store (an I/O thread): dependent actions
   *       attached with {@code thenApply} and the like run there, so they must not block; use the
   *       {@code ...Async(fn, executor)} forms for anything slow.
   * </ul>
   *
   * <p>The default performs {@link #save} on the calling thread and returns a completed stage (or
   * one failed with the {@link TokenStoreException} it threw); stores with an asynchronous backend
   * override it.
   *
   * @return a stage that completes when the entry is stored, or fails with the store's error
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code ttl} is not positive or the snapshot is too large
   * @throws IllegalStateException if the store is closed
   */
  default CompletionStage<Void> saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    try {
      save(key, snapshot, ttl);
      return CompletableFuture.completedFuture(null);
    } catch (TokenStoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Stores one {@code snapshot} under each of {@code keys} for {@code ttl}, without waiting for the
   * backend: the store side of {@code Baton.captureAllAsync}, where one caller submits many tasks.
   * Each entry is exactly what {@link #saveAsync}{@code (key, snapshot, ttl)} would store (a value
   * written by the batch loads through {@link #load} like any other), so a store may do the work
   * that does not depend on the key once for the whole batch.
   *
   * <p><b>Contract: all, or a report of what failed.</b>
   * <ul>
   *   <li>When the stage completes normally, every key's entry is visible, as for
   *       {@link #saveAsync}. An empty batch completes at once and writes nothing.
   *   <li>Argument and state errors are thrown at once and nothing is written:
   *       {@link NullPointerException} for a null argument or a null key in {@code keys},
   *       {@link IllegalArgumentException} for a TTL that is not positive or a snapshot that is
   *       too large, {@link IllegalStateException} for a closed store.
   *   <li>Backend failures never throw and are never dropped: the stage waits for every write, then
   *       fails with a {@link BatchSaveException} whose {@link BatchSaveException#failures()} maps
   *       each key that failed to its store failure (a {@link TokenStoreException}, or an
   *       {@link IllegalStateException} if the store was closed meanwhile). Every other key was
   *       stored. A failed key's entry is unknown (a timed-out write may have landed), never
   *       assumed absent.
   *   <li>Writes are not atomic together: a {@link #load} during the batch may see some entries and
   *       not others. A key given twice is written twice, with the same value.
   *   <li>The stage may complete on a thread of the store, as for {@link #saveAsync}.
   * </ul>
   *
   * <p>The default calls {@link #saveAsync} for each key in order and gathers the outcomes, so every
   * store supports batches; stores with a pipelining backend override it.
   *
   * @param keys the keys to store {@code snapshot} under; copied before anything is written
   * @return a stage that completes when every entry is stored, or fails with a
   *     {@link BatchSaveException} naming the keys that were not
   * @throws NullPointerException if an argument, or a key in {@code keys}, is null
   * @throws IllegalArgumentException if {@code ttl} is not positive or the snapshot is too large
   * @throws IllegalStateException if the store is closed
   */
  default CompletionStage<Void> saveAllAsync(
      Collection<TaskKey> keys, TokenSnapshot snapshot, Duration ttl) {
    List<TaskKey> batch = List.copyOf(keys);
    Objects.requireNonNull(snapshot, "snapshot");
    requirePositiveTtl(ttl);
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    var failures = new ConcurrentHashMap<TaskKey, Throwable>();
    var pending = new AtomicInteger(batch.size());
    var stored = new CompletableFuture<Void>();
    Runnable settled = () -> {
      if (pending.decrementAndGet() == 0) {
        if (failures.isEmpty()) {
          stored.complete(null);
        } else {
          stored.completeExceptionally(new BatchSaveException(batch.size(), failures));
        }
      }
    };
    for (int i = 0; i < batch.size(); i++) {
      TaskKey key = batch.get(i);
      CompletionStage<Void> written;
      try {
        written = saveAsync(key, snapshot, ttl);
      } catch (TokenStoreException e) {
        failures.put(key, e);
        settled.run();
        continue;
      } catch (RuntimeException e) {
        if (i == 0) {
          throw e; // the caller's mistake or a closed store, found before anything was written
        }
        failures.put(key, e); // e.g. closed by another thread during the batch
        settled.run();
        continue;
      }
      if (written == null) {
        failures.put(key, new TokenStoreException("store " + getClass().getName()
            + " returned null from saveAsync for task " + key + " (a store must return a stage)"));
        settled.run();
        continue;
      }
      written.whenComplete((ignored, error) -> {
        if (error != null) {
          Throwable cause = error.getCause();
          failures.put(key, error instanceof CompletionException
              && cause != null ? cause : error);
        }
        settled.run();
      });
    }
    return stored;
  }

  /**
   * The snapshot under {@code key}, or empty when there is none or its TTL has elapsed.
   *
   * @throws TokenStoreException if the backend fails or its value cannot be decoded
   * @throws IllegalStateException if the store is closed
   */
  Optional<TokenSnapshot> load(TaskKey key);

  /**
   * Removes the entry under {@code key}.
   *
   * @return whether a live entry was removed
   * @throws TokenStoreException if the backend fails
   * @throws IllegalStateException if the store is closed
   */
  boolean delete(TaskKey key);

  /**
   * Resets the TTL of a live entry to {@code ttl} from now (sliding expiry for long-lived tasks).
   * Optional.
   *
   * @return whether a live entry was found (and its TTL reset)
   * @throws IllegalArgumentException if {@code ttl} is not positive
   * @throws UnsupportedOperationException if this store does not support touch
   * @throws TokenStoreException if the backend fails
   * @throws IllegalStateException if the store is closed
   */
  default boolean touch(TaskKey key, Duration ttl) {
    throw new UnsupportedOperationException(getClass().getName() + " does not support touch");
  }

  /**
   * Atomically loads and removes the entry under {@code key}: of concurrent callers, at most one
   * gets the snapshot. Optional.
   *
   * @throws UnsupportedOperationException if this store does not support take
   * @throws TokenStoreException if the backend fails or its value cannot be decoded
   * @throws IllegalStateException if the store is closed
   */
  default Optional<TokenSnapshot> take(TaskKey key) {
    throw new UnsupportedOperationException(getClass().getName() + " does not support take");
  }

  /**
   * Checks a TTL argument the way this contract requires, with the message the TCK expects; for
   * implementations.
   *
   * @return {@code ttl}
   * @throws NullPointerException if {@code ttl} is null
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   */
  static Duration requirePositiveTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return ttl;
  }

  /** The optional operations this store supports. The default is none. */
  default Capabilities capabilities() {
    return Capabilities.NONE;
  }

  /**
   * Releases the store's resources (connections, threads). Idempotent; never throws for a store that
   * was opened normally.
   */
  @Override
  void close();

  /**
   * The optional operations a store supports.
   *
   * @param touch whether {@link #touch} is supported
   * @param take whether {@link #take} is supported, atomically
   */
  record Capabilities(boolean touch, boolean take) {
    /** No optional operation. */
    public static final Capabilities NONE = new Capabilities(false, false);
    /** Every optional operation. */
    public static final Capabilities ALL = new Capabilities(true, true);
  }
}
