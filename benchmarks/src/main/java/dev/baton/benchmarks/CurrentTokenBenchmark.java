package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * {@link Baton#currentToken()}: inside a task scope (a frame lookup plus the expiry check against
 * the clock), inside a request binding (the same, from the request slot), and outside any scope
 * (an empty thread), beside its peers in the same run: a plain {@code ThreadLocal.get()} of the
 * token, {@code Clock.millis()} and {@code Clock.instant()} of the system clock and
 * {@code System.nanoTime()} (the expiry check reads a clock, so a clock read is the floor of an
 * exact check).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CurrentTokenBenchmark {
  private static final ThreadLocal<AccessToken> SLOT = new ThreadLocal<>();
  private static final Clock CLOCK = Clock.systemUTC();

  /** One Baton on a memory store and the caller; state per benchmark thread. */
  @State(Scope.Thread)
  public static class Caller {
    final AccessToken token = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
    final Baton baton = Baton.builder().store(MemoryTokenSnapshotStore.create()).build();
  }

  /** The benchmark thread inside a task restored from the store, for each iteration. */
  @State(Scope.Thread)
  public static class InTask {
    TaskScope scope;

    @Setup(Level.Iteration)
    public void enter(Caller caller) {
      TaskKey key = caller.baton.capture(TaskKey.random(caller.token), caller.token);
      scope = caller.baton.enter(key);
      require(Optional.of(caller.token));
    }

    @TearDown(Level.Iteration)
    public void exit() {
      scope.close();
    }
  }

  /** The benchmark thread bound to the caller as a request thread, for each iteration. */
  @State(Scope.Thread)
  public static class InRequest {
    dev.baton.Scope scope;

    @Setup(Level.Iteration)
    public void bind(Caller caller) {
      scope = caller.baton.bindRequest(caller.token);
      require(Optional.of(caller.token));
    }

    @TearDown(Level.Iteration)
    public void unbind() {
      scope.close();
    }
  }

  /** The benchmark thread with no binding; checked for each iteration. */
  @State(Scope.Thread)
  public static class Outside {
    @Setup(Level.Iteration)
    public void check() {
      require(Optional.empty());
    }
  }

  /** The benchmark thread holding the token in a plain thread local, for each iteration. */
  @State(Scope.Thread)
  public static class InThreadLocal {
    @Setup(Level.Iteration)
    public void set(Caller caller) {
      SLOT.set(caller.token);
      require(Optional.empty()); // the peer's slot is not Baton's
    }

    @TearDown(Level.Iteration)
    public void remove() {
      SLOT.remove();
    }
  }

  private static void require(Optional<AccessToken> expected) {
    if (!Baton.currentToken().equals(expected)) {
      throw new IllegalStateException("the benchmark thread does not hold the expected binding");
    }
  }

  @Benchmark
  public Optional<AccessToken> inTaskScope(InTask task) {
    return Baton.currentToken();
  }

  @Benchmark
  public Optional<AccessToken> inRequestScope(InRequest request) {
    return Baton.currentToken();
  }

  /** No binding at all: what code outside any task or request pays to learn there is none. */
  @Benchmark
  public Optional<AccessToken> outsideScope(Outside outside) {
    return Baton.currentToken();
  }

  @Benchmark
  public AccessToken threadLocalPeer(InThreadLocal slot) {
    return SLOT.get();
  }

  @Benchmark
  public long clockMillisPeer() {
    return CLOCK.millis();
  }

  @Benchmark
  public Instant clockInstantPeer() {
    return CLOCK.instant();
  }

  /** The monotonic clock: what a precomputed nanoTime deadline would read instead. */
  @Benchmark
  public long nanoTimePeer() {
    return System.nanoTime();
  }
}
