package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.redis.RedisTokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pipelined batch capture on the Redis store: {@code baton.captureAsync(key)} for each of a batch
 * of {@value #BATCH} keys, then waiting for all of them, in keys per second. Its yardstick is
 * {@code redis-benchmark -P 16 -t set -d <the same value size>}, which {@code benchmarks/run} runs
 * beside it against the same {@code redis-server}.
 *
 * <p>The batch reuses the same {@value #BATCH} keys (a SET replaces the value), so Redis holds at
 * most one batch whatever the run's length; they are deleted at the end of the trial.
 *
 * <p>Compiled only once {@code Baton.captureAsync(TaskKey)} and
 * {@code TokenSnapshotStore.saveAsync} exist: until then this file lives outside
 * {@code src/main/java} (see benchmarks/README.md, "Switching on RedisBatchBenchmark").
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RedisBatchBenchmark {
  static final int BATCH = 1000;

  private final AccessToken token = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
  private final TaskKey[] keys = new TaskKey[BATCH];
  @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array: CompletableFuture.allOf takes one
  private final CompletableFuture<TaskKey>[] pending = new CompletableFuture[BATCH];
  private @Nullable RedisTokenSnapshotStore store;
  private @Nullable Baton baton;
  private dev.baton.@Nullable Scope request;

  @Setup(Level.Trial)
  public void open() {
    RedisTokenSnapshotStore s = RedisTokenSnapshotStore.builder().uri(RedisBenchmark.redisUri())
        .sealingKeys(Fixtures.keyRing()).commandTimeout(Duration.ofSeconds(10)).build();
    store = s;
    baton = Baton.builder().store(s).build();
    for (int i = 0; i < BATCH; i++) {
      keys[i] = TaskKey.random(token);
    }
    request = baton.bindRequest(token);
    // The batch really stores the caller: check the first and the last key once.
    baton.captureAsync(keys[0]).join();
    baton.captureAsync(keys[BATCH - 1]).join();
    for (TaskKey key : new TaskKey[] {keys[0], keys[BATCH - 1]}) {
      Optional<TokenSnapshot> saved = s.load(key);
      if (saved.isEmpty() || !saved.get().accessToken().equals(Optional.of(token))) {
        throw new IllegalStateException("captureAsync did not store the caller");
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
