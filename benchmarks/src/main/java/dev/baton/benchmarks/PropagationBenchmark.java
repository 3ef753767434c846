package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import io.micrometer.context.ContextExecutorService;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
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
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.concurrent.DelegatingSecurityContextExecutorService;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * In-process propagation of the caller to a task: Baton beside what a user would pick instead,
 * each carrying the same {@link Fixtures#token} (Spring Security carries it as the credentials of
 * an authenticated token with the five scopes as authorities).
 *
 * <ul>
 *   <li>Baton: {@link CallerBinding#capture()}{@code .wrapRunnable(task)} on the calling thread,
 *       {@code baton.wrap(pool)} on a pool; the task reads {@link Baton#currentToken()}.
 *   <li>Micrometer context-propagation: {@code ContextSnapshotFactory.captureAll().wrap(task)} and
 *       {@code ContextExecutorService.wrap(pool, factory)}, with one {@code ThreadLocalAccessor} (a
 *       {@code ThreadLocal<AccessToken>}); the task reads that thread local.
 *   <li>Spring Security: {@link DelegatingSecurityContextRunnable} and
 *       {@link DelegatingSecurityContextExecutorService}; the task reads
 *       {@code SecurityContextHolder.getContext().getAuthentication()}.
 *   <li>OpenTelemetry: {@code Context.current().wrap(task)} and {@code Context.taskWrapping(pool)};
 *       the task reads {@code Context.current().get(key)}.
 *   <li>Bare: the task alone, unwrapped (it reads a constant: nothing is propagated).
 * </ul>
 *
 * <p><b>On the calling thread</b> ({@code callerThread*}, average time per wrap + run): what
 * wrapping costs with no thread handoff to hide it. <b>On a pool</b> ({@code pool*}, tasks per
 * second): the benchmark thread submits a batch of {@value #BATCH} tasks with {@code execute} and
 * waits for all of them, on 8 platform threads ({@code executor=platform8}) or one virtual thread
 * per task ({@code executor=virtual}, JDK 21+ only: the runner leaves it out on older JDKs).
 *
 * <p>The benchmark thread is bound in all four systems at once for every iteration (checked). On
 * the calling thread a task would see its caller even unwrapped; on the pool it cannot, so there
 * every task checks that it saw a caller and counts it when not; a non-zero count fails the
 * iteration, so a broken propagation cannot pass as a fast one.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PropagationBenchmark {
  /** Tasks per pool invocation. */
  static final int BATCH = 1000;

  static final ThreadLocal<@Nullable AccessToken> MICROMETER_SLOT = new ThreadLocal<>();
  static final ContextKey<AccessToken> OTEL_KEY = ContextKey.named("baton.bench.token");
  static final String MICROMETER_KEY = "baton.bench.token";

  /** The caller, bound on the benchmark thread in Baton, Micrometer's slot, Spring and OTel. */
  @State(Scope.Thread)
  public static class Bound {
    final AccessToken token = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
    final Baton binder = Baton.builder().build();
    final Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(
        String.valueOf(token.claims().get("sub")), token,
        Fixtures.SCOPES.stream().map(s -> new SimpleGrantedAuthority("SCOPE_" + s)).toList());
    private dev.baton.@Nullable Scope batonScope;
    private io.opentelemetry.context.@Nullable Scope otelScope;

    // The OpenTelemetry scope spans the iteration: opened here, closed in unbind().
    @SuppressWarnings("MustBeClosedChecker")
    @Setup(Level.Iteration)
    public void bind() {
      batonScope = binder.bindRequest(token);
      MICROMETER_SLOT.set(token);
      SecurityContext context = SecurityContextHolder.createEmptyContext();
      context.setAuthentication(authentication);
      SecurityContextHolder.setContext(context);
      otelScope = Context.current().with(OTEL_KEY, token).makeCurrent();
      if (!token.equals(readBaton()) || !token.equals(readMicrometer())
          || !token.equals(readSpring()) || !token.equals(readOtel())) {
        throw new IllegalStateException("the benchmark thread is not bound in every system");
      }
    }

    @TearDown(Level.Iteration)
    public void unbind() {
      if (otelScope != null) {
        otelScope.close();
      }
      SecurityContextHolder.clearContext();
      MICROMETER_SLOT.remove();
      if (batonScope != null) {
        batonScope.close();
      }
    }
  }

  /** What each task reads of its own system: null when nothing was propagated. */
  static @Nullable Object readBaton() {
    return Baton.currentToken().orElse(null);
  }

  static @Nullable Object readMicrometer() {
    return MICROMETER_SLOT.get();
  }

  static @Nullable Object readSpring() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication == null ? null : authentication.getCredentials();
  }

  static @Nullable Object readOtel() {
    return Context.current().get(OTEL_KEY);
  }

  /** Tasks and wrappers for the calling thread; one set per benchmark thread. */
  @State(Scope.Thread)
  public static class CallerThread {
    final ContextSnapshotFactory micrometer = micrometerFactory();
    @Nullable Object seen;
    final Runnable bareTask = () -> seen = this;
    final Runnable batonTask = () -> seen = readBaton();
    final Runnable micrometerTask = () -> seen = readMicrometer();
    final Runnable springTask = () -> seen = readSpring();
    final Runnable otelTask = () -> seen = readOtel();
  }

  static ContextSnapshotFactory micrometerFactory() {
    ContextRegistry registry = new ContextRegistry();
    registry.registerThreadLocalAccessor(MICROMETER_KEY, MICROMETER_SLOT);
    return ContextSnapshotFactory.builder().contextRegistry(registry).build();
  }

  /** One pool and its five views; the tasks count down the current batch's latch. */
  @State(Scope.Benchmark)
  public static class Pools {
    /** {@code platform8}: a fixed pool of 8 threads; {@code virtual}: a thread per task. */
    @Param({"platform8"})
    public String executor = "platform8";

    @Nullable ExecutorService pool;
    @Nullable ExecutorService bare;
    @Nullable ExecutorService baton;
    @Nullable ExecutorService micrometer;
    @Nullable ExecutorService spring;
    @Nullable ExecutorService otel;
    final LongAdder missing = new LongAdder();
    volatile CountDownLatch latch = new CountDownLatch(0);

    final Runnable bareTask = task(() -> this);
    final Runnable batonTask = task(PropagationBenchmark::readBaton);
    final Runnable micrometerTask = task(PropagationBenchmark::readMicrometer);
    final Runnable springTask = task(PropagationBenchmark::readSpring);
    final Runnable otelTask = task(PropagationBenchmark::readOtel);

    private Runnable task(Supplier<@Nullable Object> read) {
      return () -> {
        if (read.get() == null) {
          missing.increment();
        }
        latch.countDown();
      };
    }

    @Setup(Level.Trial)
    public void start() {
      ExecutorService p = switch (executor) {
        case "platform8" -> Executors.newFixedThreadPool(8);
        case "virtual" -> virtualThreadPerTask();
        default -> throw new IllegalArgumentException("unknown executor: " + executor);
      };
      pool = p;
      bare = p;
      baton = Baton.builder().build().wrap(p);
      micrometer = ContextExecutorService.wrap(p, micrometerFactory());
      spring = new DelegatingSecurityContextExecutorService(p);
      otel = Context.taskWrapping(p);
    }

    /** Fails the iteration if any task of it ran without its caller. */
    @TearDown(Level.Iteration)
    public void check() {
      if (missing.sumThenReset() != 0) {
        throw new IllegalStateException("a task on the pool ran without its caller");
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      ExecutorService p = pool;
      if (p != null) {
        p.shutdownNow();
        if (!p.awaitTermination(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the pool did not stop");
        }
      }
    }

    void runBatch(@Nullable ExecutorService view, Runnable task) throws InterruptedException {
      ExecutorService target = java.util.Objects.requireNonNull(view, "view");
      CountDownLatch done = new CountDownLatch(BATCH);
      latch = done;
      for (int i = 0; i < BATCH; i++) {
        target.execute(task);
      }
      done.await();
    }
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up so this compiles for Java 17. */
  static ExecutorService virtualThreadPerTask() {
    try {
      return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
          .invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("virtual threads need JDK 21+; this is "
          + Runtime.version(), e);
    }
  }

  // ------------------------------------------------------------------ on the calling thread

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public @Nullable Object callerThreadBare(CallerThread t, Bound bound) {
    t.bareTask.run();
    return t.seen;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public @Nullable Object callerThreadBaton(CallerThread t, Bound bound) {
    CallerBinding.capture().wrapRunnable(t.batonTask).run();
    return t.seen;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public @Nullable Object callerThreadMicrometer(CallerThread t, Bound bound) {
    t.micrometer.captureAll().wrap(t.micrometerTask).run();
    return t.seen;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public @Nullable Object callerThreadSpring(CallerThread t, Bound bound) {
    new DelegatingSecurityContextRunnable(t.springTask).run();
    return t.seen;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public @Nullable Object callerThreadOtel(CallerThread t, Bound bound) {
    Context.current().wrap(t.otelTask).run();
    return t.seen;
  }

  // ------------------------------------------------------------------ on a pool

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void poolBare(Pools p, Bound bound) throws InterruptedException {
    p.runBatch(p.bare, p.bareTask);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void poolBaton(Pools p, Bound bound) throws InterruptedException {
    p.runBatch(p.baton, p.batonTask);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void poolMicrometer(Pools p, Bound bound) throws InterruptedException {
    p.runBatch(p.micrometer, p.micrometerTask);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void poolSpring(Pools p, Bound bound) throws InterruptedException {
    p.runBatch(p.spring, p.springTask);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void poolOtel(Pools p, Bound bound) throws InterruptedException {
    p.runBatch(p.otel, p.otelTask);
  }
}
