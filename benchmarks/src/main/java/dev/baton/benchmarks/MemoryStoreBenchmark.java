package dev.baton.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory store's {@code save} + {@code load} of one snapshot (object mode, the default) beside
 * its peer, raw Caffeine {@code put} + {@code getIfPresent} of the same {@link TokenSnapshot}
 * object under the same {@link TaskKey}, in a cache built the same way (same maximum size, expiry
 * after write, maintenance on the calling thread so all the work is counted in the measured
 * thread). Both cycle through the same {@value #KEYS} keys, so neither measures a single hot entry.
 * A second peer, {@link #putGetCaffeinePerEntryTtlPeer}, is Caffeine set up as the store is: a
 * TTL per entry ({@code policy().expireVariably()}), which costs more inside Caffeine than one
 * fixed expire-after-write; it shows how much of the gap is Caffeine's own per-entry expiry.
 *
 * <p>Heap per entry at a million snapshots is not a JMH figure: {@link FootprintMain} measures it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MemoryStoreBenchmark {
  static final int KEYS = 1024;
  private static final Duration TTL = Duration.ofHours(1);

  private final TokenSnapshot snapshot = Fixtures.snapshot();
  private final TaskKey[] keys = new TaskKey[KEYS];
  private int next;
  private @Nullable MemoryTokenSnapshotStore store;
  private @Nullable Cache<TaskKey, TokenSnapshot> caffeine;
  private @Nullable Cache<TaskKey, TokenSnapshot> perEntryTtl;

  @Setup(Level.Trial)
  public void open() {
    for (int i = 0; i < KEYS; i++) {
      keys[i] = TaskKey.random(snapshot.accessToken().orElseThrow());
    }
    MemoryTokenSnapshotStore s = MemoryTokenSnapshotStore.create();
    store = s;
    caffeine = Caffeine.newBuilder()
        .maximumSize(MemoryTokenSnapshotStore.DEFAULT_MAXIMUM_SIZE)
        .expireAfterWrite(TTL)
        .executor(Runnable::run)
        .build();
    perEntryTtl = Caffeine.newBuilder()
        .maximumSize(MemoryTokenSnapshotStore.DEFAULT_MAXIMUM_SIZE)
        .expireAfter(Expiry.<TaskKey, TokenSnapshot>writing((key, value) -> TTL))
        .executor(Runnable::run)
        .build();
    s.save(keys[0], snapshot, TTL);
    if (!s.load(keys[0]).equals(Optional.of(snapshot))) {
      throw new IllegalStateException("the store did not give the snapshot back");
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (store != null) {
      store.close();
    }
  }

  private TaskKey nextKey() {
    TaskKey key = keys[next];
    next = (next + 1) & (KEYS - 1);
    return key;
  }

  @Benchmark
  public Optional<TokenSnapshot> saveLoadStore() {
    MemoryTokenSnapshotStore s = java.util.Objects.requireNonNull(store);
    TaskKey key = nextKey();
    s.save(key, snapshot, TTL);
    return s.load(key);
  }

  @Benchmark
  public @Nullable TokenSnapshot putGetCaffeinePeer() {
    Cache<TaskKey, TokenSnapshot> c = java.util.Objects.requireNonNull(caffeine);
    TaskKey key = nextKey();
    c.put(key, snapshot);
    return c.getIfPresent(key);
  }

  @Benchmark
  public @Nullable TokenSnapshot putGetCaffeinePerEntryTtlPeer() {
    Cache<TaskKey, TokenSnapshot> c = java.util.Objects.requireNonNull(perEntryTtl);
    TaskKey key = nextKey();
    var unused = c.policy().expireVariably().orElseThrow().put(key, snapshot, TTL);
    return c.getIfPresent(key);
  }
}
