package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a task pays to run as its caller.
 *
 * <p><b>In-process:</b> {@link #submitPlain} ({@code pool.submit(task).get()} on a single-thread
 * executor) is the peer of {@link #submitWrapped} (the same through {@code baton.wrap(pool)}); the
 * task calls {@link Baton#currentToken()} in both. The difference is the wrapper's capture at submit
 * and its scope around the task. That difference is small beside the thread handoff and its noise,
 * so {@link #submitPlainSameThread} and {@link #submitWrappedSameThread} measure the same pair on an
 * executor that runs the task on the submitting thread.
 *
 * <p><b>Through the store:</b> {@code baton.capture()} then {@code baton.run(key, task)} on the same
 * thread (no executor, so only Baton's own work is measured), with the memory store in object mode
 * ({@link #handoffObject}), bytes mode with the JSON codec ({@link #handoffJson}) and bytes mode
 * with the sealing codec ({@link #handoffSealed}). Their peer is {@link #threadLocalPeer}: setting,
 * reading and removing the token in a {@code ThreadLocal}, the least any propagation costs.
 * {@link #partTaskKeyRandom} and {@link #partUuid} isolate two steps of {@code capture()}.
 *
 * <p>Every benchmark thread is bound to the caller ({@link Baton#bindRequest}) for each iteration,
 * as a request thread would be; the setup checks that the task really sees that caller.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The sealed and JSON handoffs were still speeding up after 3 x 1 s of warm-up (most likely C2
// compiling AES-GCM and the parser late on two cores): 4 x 2 s lets them settle first.
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PropagationBenchmark {

  /** A caller bound on the benchmark thread, as on a request thread. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Caller {
    final AccessToken token = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
    /** Any Baton can bind the request: the binding lives in the thread, not in the instance. */
    final Baton binder = Baton.builder().store(MemoryTokenSnapshotStore.create()).build();
    Scope request;

    @Setup(Level.Iteration)
    public void bind() {
      request = binder.bindRequest(token);
      if (!Baton.currentToken().equals(Optional.of(token))) {
        throw new IllegalStateException("the benchmark thread is not bound to the caller");
      }
    }

    @TearDown(Level.Iteration)
    public void unbind() {
      request.close();
    }
  }

  /**
   * Two single-thread executors, one plain and one wrapped, each with its own worker thread; and
   * two same-thread executors, plain and wrapped, which leave out the thread handoff so that the
   * wrapper's own cost is not lost in its noise.
   */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Pools {
    ExecutorService plain;
    ExecutorService wrapped;
    ExecutorService plainSameThread;
    ExecutorService wrappedSameThread;
    final Callable<Optional<AccessToken>> task = Baton::currentToken;

    @Setup(Level.Trial)
    public void start(Caller caller) throws InterruptedException, ExecutionException {
      Baton baton = Baton.builder().store(MemoryTokenSnapshotStore.create()).build();
      plain = Executors.newSingleThreadExecutor();
      wrapped = baton.wrap(Executors.newSingleThreadExecutor());
      plainSameThread = new SameThreadExecutorService();
      wrappedSameThread = baton.wrap(new SameThreadExecutorService());
      try (Scope request = baton.bindRequest(caller.token)) {
        if (!wrapped.submit(task).get().equals(Optional.of(caller.token))
            || !wrappedSameThread.submit(task).get().equals(Optional.of(caller.token))
            || plain.submit(task).get().isPresent()) {
          throw new IllegalStateException("a wrapped executor's task did not see the caller");
        }
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      for (ExecutorService pool : List.of(plain, wrapped, plainSameThread, wrappedSameThread)) {
        pool.shutdownNow();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("an executor did not stop");
        }
      }
    }
  }

  /** Runs each task on the submitting thread, inside {@code execute}. */
  static final class SameThreadExecutorService extends AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
      if (shutdown) {
        throw new RejectedExecutionException("shut down");
      }
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return shutdown;
    }
  }

  /** Three Batons on memory stores in object, JSON-bytes and sealed-bytes mode. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Stores {
    Baton object;
    Baton json;
    Baton sealed;
    /** What the last task saw; written by the task, returned by the benchmark. */
    Optional<AccessToken> seen = Optional.empty();
    final Runnable task = () -> seen = Baton.currentToken();

    @Setup(Level.Trial)
    public void open(Caller caller) {
      object = baton(MemoryTokenSnapshotStore.builder());
      json = baton(MemoryTokenSnapshotStore.builder().codec(JsonSnapshotCodec.create()));
      sealed = baton(MemoryTokenSnapshotStore.builder()
          .codec(SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), Fixtures.keyRing())));
      check(caller);
    }

    /** Checks each mode end to end (binding here: JMH does not order the setups of states). */
    private void check(Caller caller) {
      for (Baton baton : new Baton[] {object, json, sealed}) {
        seen = Optional.empty();
        try (Scope request = baton.bindRequest(caller.token)) {
          baton.run(baton.capture(), task);
        }
        if (!seen.equals(Optional.of(caller.token))) {
          throw new IllegalStateException("the task did not see the caller through " + baton.store().orElseThrow());
        }
      }
    }

    @TearDown(Level.Trial)
    public void close() {
      for (Baton baton : new Baton[] {object, json, sealed}) {
        baton.store().ifPresent(TokenSnapshotStore::close);
      }
    }

    /**
     * Caffeine's maintenance runs on the calling thread, so all of the store's work is counted in
     * the measured thread (its default, the common pool, would move some of it to the other core).
     */
    private static Baton baton(MemoryTokenSnapshotStore.Builder store) {
      TokenSnapshotStore built = store.executor(Runnable::run).build();
      return Baton.builder().store(built).build();
    }
  }

  private static final ThreadLocal<AccessToken> SLOT = new ThreadLocal<>();

  // ------------------------------------------------------------------ in-process

  @Benchmark
  public Optional<AccessToken> submitPlain(Pools pools, Caller caller)
      throws InterruptedException, ExecutionException {
    return pools.plain.submit(pools.task).get();
  }

  @Benchmark
  public Optional<AccessToken> submitWrapped(Pools pools, Caller caller)
      throws InterruptedException, ExecutionException {
    return pools.wrapped.submit(pools.task).get();
  }

  @Benchmark
  public Optional<AccessToken> submitPlainSameThread(Pools pools, Caller caller)
      throws InterruptedException, ExecutionException {
    return pools.plainSameThread.submit(pools.task).get();
  }

  @Benchmark
  public Optional<AccessToken> submitWrappedSameThread(Pools pools, Caller caller)
      throws InterruptedException, ExecutionException {
    return pools.wrappedSameThread.submit(pools.task).get();
  }

  // ------------------------------------------------------------------ through the store

  @Benchmark
  public void threadLocalPeer(Caller caller, Blackhole bh) {
    SLOT.set(caller.token);
    bh.consume(SLOT.get());
    SLOT.remove();
  }

  @Benchmark
  public Optional<AccessToken> handoffObject(Stores stores, Caller caller) {
    Baton baton = stores.object;
    baton.run(baton.capture(), stores.task);
    return stores.seen;
  }

  @Benchmark
  public Optional<AccessToken> handoffJson(Stores stores, Caller caller) {
    Baton baton = stores.json;
    baton.run(baton.capture(), stores.task);
    return stores.seen;
  }

  @Benchmark
  public Optional<AccessToken> handoffSealed(Stores stores, Caller caller) {
    Baton baton = stores.sealed;
    baton.run(baton.capture(), stores.task);
    return stores.seen;
  }

  // ------------------------------------------------------------------ parts of capture()

  /** The key {@code capture()} makes: a random UUID plus a SHA-256 of the caller's ids. */
  @Benchmark
  public TaskKey partTaskKeyRandom(Caller caller) {
    return TaskKey.random(caller.token);
  }

  /** {@code UUID.randomUUID()} alone (a {@code SecureRandom} draw). */
  @Benchmark
  public UUID partUuid() {
    return UUID.randomUUID();
  }
}
