package dev.baton.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy.VarExpiration;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenSnapshotStore} in this JVM's memory, on a Caffeine cache with a per-entry TTL and a
 * size bound.
 *
 * <p>Use it for single-process applications, and as the fake that application tests link in place
 * of Redis: it passes the same {@code baton-tck} checks as the Redis store. It has two modes:
 * <ul>
 *   <li><b>object</b> (default): keeps the immutable snapshot itself; the fast path.
 *   <li><b>bytes</b> ({@link Builder#codec}): keeps each snapshot encoded, as a remote store would, so
 *       tests see the same size limits and decode errors as production, and sealed values can be
 *       inspected at rest ({@link #rawValue}).
 * </ul>
 * In both modes a snapshot that encodes (as JSON) past the codec's limit is refused, like the Redis
 * store refuses it.
 *
 * <p>Time comes from a Caffeine {@link Ticker}, so tests can drive expiry without sleeping. When the
 * size bound is reached, Caffeine evicts entries before their TTL; each such eviction is logged at
 * {@code WARNING} (the evicted task then fails to restore, per its policy: nothing runs as a wrong
 * caller). Size the bound for the tasks in flight.
 *
 * <p>Thread-safe; all operations are atomic per key, {@link #take} included.
 */
public final class MemoryTokenSnapshotStore implements TokenSnapshotStore {
  /** Default bound on the number of entries. */
  public static final long DEFAULT_MAXIMUM_SIZE = 100_000;

  /**
   * The longest TTL kept as given: {@code 2^62 - 1} nanoseconds, about 146 years, the longest
   * expiry Caffeine keeps (its {@code MAXIMUM_EXPIRY}, half the ticker's range, so that deadlines
   * never wrap); longer TTLs are stored as this.
   */
  public static final Duration MAX_TTL = Duration.ofNanos(Long.MAX_VALUE >> 1);

  private static final System.Logger LOGGER =
      System.getLogger(MemoryTokenSnapshotStore.class.getName());

  /**
   * Values are the snapshot itself (object mode) or its encoding (bytes mode), with no wrapper: each
   * entry's TTL lives in Caffeine's own per-entry expiry, written through {@link #expiration}.
   */
  private final Cache<TaskKey, Object> cache;
  private final VarExpiration<TaskKey, Object> expiration;
  private final @Nullable SnapshotCodec codec;
  private final JsonSnapshotCodec sizeLimit = JsonSnapshotCodec.create();
  private final long maximumSize;
  private volatile boolean closed;

  private MemoryTokenSnapshotStore(Builder builder) {
    this.codec = builder.codec;
    this.maximumSize = builder.maximumSize;
    this.cache = Caffeine.newBuilder()
        .maximumSize(builder.maximumSize)
        .ticker(builder.ticker)
        .executor(builder.executor)
        .expireAfter(new TtlOfEachWrite())
        .<TaskKey, Object>evictionListener((key, value, cause) -> {
          if (cause == RemovalCause.SIZE) {
            LOGGER.log(Level.WARNING, "Snapshot of task " + key + " evicted before its TTL: the"
                + " store holds its maximum of " + maximumSize + " entries");
          }
        })
        .build();
    this.expiration = cache.policy().expireVariably().orElseThrow(
        () -> new IllegalStateException("Caffeine built without variable expiry"));
  }

  /** A store with the defaults: object mode, system ticker, {@link #DEFAULT_MAXIMUM_SIZE}. */
  public static MemoryTokenSnapshotStore create() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    long ttlNanos = ttlNanos(ttl);
    checkOpen();
    Object value;
    if (codec == null) {
      sizeLimit.checkSize(snapshot); // IllegalArgumentException when too large, as Redis would
      value = snapshot;
    } else {
      value = codec.encode(key, snapshot);
    }
    var unused = expiration.put(key, value, ttlNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public Optional<TokenSnapshot> load(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return decode(key, cache.getIfPresent(key));
  }

  @Override
  public boolean delete(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return cache.asMap().remove(key) != null;
  }

  @Override
  public boolean touch(TaskKey key, Duration ttl) {
    Objects.requireNonNull(key, "key");
    long ttlNanos = ttlNanos(ttl);
    checkOpen();
    // Atomic: the remapping sees null for a missing or expired entry and keeps it missing; a live
    // entry keeps its value and takes the new TTL.
    return expiration.compute(key, (k, value) -> value, Duration.ofNanos(ttlNanos)) != null;
  }

  @Override
  public Optional<TokenSnapshot> take(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    // Caffeine's remove is atomic and answers null for an entry that has already expired.
    return decode(key, cache.asMap().remove(key));
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.ALL;
  }

  /**
   * The bytes stored under {@code key}, for inspecting what a bytes-mode store holds at rest (a
   * copy); empty when there is no live entry or the store is in object mode.
   *
   * @throws IllegalStateException if the store is closed
   */
  public Optional<byte[]> rawValue(TaskKey key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    return cache.getIfPresent(key) instanceof byte[] bytes
        ? Optional.of(bytes.clone())
        : Optional.empty();
  }

  /**
   * Stores raw bytes under {@code key} as if a codec had written them: for tests that plant corrupt
   * or foreign values. Only in bytes mode.
   *
   * @throws IllegalStateException if the store is closed or in object mode
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  public void putRawValue(TaskKey key, byte[] value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    long ttlNanos = ttlNanos(ttl);
    checkOpen();
    if (codec == null) {
      throw new IllegalStateException("raw values need a store in bytes mode (Builder.codec)");
    }
    var unused = expiration.put(key, value.clone(), ttlNanos, TimeUnit.NANOSECONDS);
  }

  /** The number of live entries, approximately (Caffeine cleans expired entries lazily). */
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  /** Removes every entry; later operations throw {@link IllegalStateException}. */
  @Override
  public void close() {
    closed = true;
    cache.invalidateAll();
    cache.cleanUp();
  }

  /**
   * Whether values are sealed at rest: the store keeps them through a {@link SealingSnapshotCodec}.
   * Not the default of this in-process store.
   */
  public boolean isSealed() {
    return codec instanceof SealingSnapshotCodec;
  }

  /** Mode, whether sealed, size bound and state; never a token. */
  @Override
  public String toString() {
    return "MemoryTokenSnapshotStore[mode=" + (codec == null ? "object" : "bytes")
        + ", " + (isSealed() ? "sealed (" + codec + ")" : "not sealed")
        + ", maximumSize=" + maximumSize + ", closed=" + closed + "]";
  }

  private Optional<TokenSnapshot> decode(TaskKey key, @Nullable Object value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof TokenSnapshot snapshot) {
      return Optional.of(snapshot);
    }
    // Bytes mode: a fresh decode per read, so no caller shares an instance with another.
    return Optional.of(Objects.requireNonNull(codec).decode(key, (byte[]) value));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store is closed");
    }
  }

  private static long ttlNanos(Duration ttl) {
    TokenSnapshotStore.requirePositiveTtl(ttl);
    return ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL.toNanos() : ttl.toNanos();
  }

  /**
   * Each entry lives for the TTL it was last written with ({@link VarExpiration#put} and
   * {@link VarExpiration#compute} pass it); reads do not extend it. Every write of this store passes
   * its TTL, so the create and update callbacks below only answer writes that carry none (there are
   * none): such a value would never be visible, rather than live forever.
   */
  private static final class TtlOfEachWrite implements Expiry<TaskKey, Object> {
    @Override
    public long expireAfterCreate(TaskKey key, Object value, long currentTime) {
      return 0;
    }

    @Override
    public long expireAfterUpdate(
        TaskKey key, Object value, long currentTime, long currentDuration) {
      return currentDuration;
    }

    @Override
    public long expireAfterRead(
        TaskKey key, Object value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Configures a {@link MemoryTokenSnapshotStore}. Not thread-safe. */
  public static final class Builder {
    private Ticker ticker = Ticker.systemTicker();
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private @Nullable SnapshotCodec codec;
    private Executor executor = Runnable::run;

    private Builder() {}

    /** The time source for TTLs; defaults to {@link Ticker#systemTicker()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * The most entries held; beyond it Caffeine evicts (and this store logs) before TTLs end.
     * Defaults to {@link #DEFAULT_MAXIMUM_SIZE}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize <= 0) {
        throw new IllegalArgumentException("maximumSize must be positive: " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Switches to bytes mode: values are kept as {@code codec} encodes them (e.g. a sealing codec),
     * and decoded on every read.
     */
    public Builder codec(SnapshotCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * The executor Caffeine runs its maintenance on (draining its buffers, expiring entries).
     * Defaults to {@code Runnable::run}: the thread that wrote runs it. Caffeine's own default, the
     * common pool, wakes a pool thread after nearly every write: here that wake-up cost more than
     * the maintenance it runs (1 to 2 &micro;s per job on a 2-core machine in
     * {@code JobRunrBenchmark}, where a capture and a delete each woke one), and on a busy common
     * pool expired snapshots would wait behind the application's tasks. Entries hold no resources
     * and no listener here does I/O, so the work is small, and it is deterministic, which tests want.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** A new store. */
    public MemoryTokenSnapshotStore build() {
      return new MemoryTokenSnapshotStore(this);
    }
  }
}
