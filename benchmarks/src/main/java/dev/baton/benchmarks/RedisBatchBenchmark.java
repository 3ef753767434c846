package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.redis.RedisTokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pipelined batch capture on the Redis store, in keys per second, for a batch of {@value #BATCH}
 * keys captured for one caller:
 * <ul>
 *   <li>{@link #captureAllAsyncBatch}: {@code baton.captureAllAsync(keys)}, the batch API (issue 28
 *       item 4): the caller judged once, the JSON written once, each value sealed for its key on
 *       the calling thread and the common pool, and the SETs dispatched in chunks of 256 (one
 *       write and flush per chunk);
 *   <li>{@link #captureAsyncBatch}: {@code baton.captureAsync(key)} for each key from this one
 *       thread, then waiting for all of them (encode, seal and one flush per key): the earlier row,
 *       for comparison.
 * </ul>
 * Each runs on a sealed store and on one {@code withoutSealing()} ({@link #sealing}). The
 * yardstick is {@code redis-benchmark -P 16 -t set -d <the sealed value size>}, which
 * {@code benchmarks/run} runs beside it against the same {@code redis-server}.
 *
 * <p>The batch reuses the same {@value #BATCH} keys (a SET replaces the value), so Redis holds at
 * most one batch whatever the run's length; they are deleted at the end of the trial.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RedisBatchBenchmark {
  static final int BATCH = 1000;

  /** {@code sealed} (the default store) or {@code plain} ({@code withoutSealing()}). */
  @Param({"sealed", "plain"})
  public String sealing = "sealed";

  private final AccessToken token = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
  private final TaskKey[] keys = new TaskKey[BATCH];
  private final List<TaskKey> keyList = new ArrayList<>(BATCH);
  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array: CompletableFuture.allOf takes one
  private final CompletableFuture<TaskKey>[] pending = new CompletableFuture[BATCH];
  private @Nullable RedisTokenSnapshotStore store;
  private @Nullable Baton baton;
  private dev.baton.@Nullable Scope request;

  @Setup(Level.Trial)
  public void open() {
    var builder = RedisTokenSnapshotStore.builder().uri(RedisBenchmark.redisUri())
        .commandTimeout(Duration.ofSeconds(10));
    RedisTokenSnapshotStore s = switch (sealing) {
      case "sealed" -> builder.sealingKeys(Fixtures.keyRing()).build();
      case "plain" -> builder.withoutSealing().build();
      default -> throw new IllegalArgumentException("sealing must be sealed or plain: " + sealing);
    };
    store = s;
    baton = Baton.builder().store(s).build();
    for (int i = 0; i < BATCH; i++) {
      keys[i] = TaskKey.random(token);
      keyList.add(keys[i]);
    }
    request = baton.bindRequest(token);
    // Both paths really store the caller: check the first and the last key once after each.
    baton.captureAsync(keys[0]).join();
    baton.captureAsync(keys[BATCH - 1]).join();
    checkStored(s, "captureAsync");
    s.delete(keys[0]);
    s.delete(keys[BATCH - 1]);
    baton.captureAllAsync(keyList).join();
    checkStored(s, "captureAllAsync");
  }

  private void checkStored(RedisTokenSnapshotStore s, String how) {
    for (TaskKey key : new TaskKey[] {keys[0], keys[BATCH - 1]}) {
      Optional<TokenSnapshot> saved = s.load(key);
      if (saved.isEmpty() || !saved.get().accessToken().equals(Optional.of(token))) {
        throw new IllegalStateException(how + " did not store the caller");
      }
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    if (request != null) {
      request.close();
    }
    RedisTokenSnapshotStore s = store;
    if (s != null) {
      for (TaskKey key : keys) {
        s.delete(key);
      }
      s.close();
    }
  }

  /** The batch API: one call for the whole batch, then waiting for it. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<TaskKey> captureAllAsyncBatch() {
    return Objects.requireNonNull(baton).captureAllAsync(keyList).join();
  }

  /** One {@code captureAsync} per key from this thread, then waiting for all of them. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void captureAsyncBatch() {
    Baton b = Objects.requireNonNull(baton);
    for (int i = 0; i < BATCH; i++) {
      pending[i] = b.captureAsync(keys[i]);
    }
    CompletableFuture.allOf(pending).join();
  }
}
