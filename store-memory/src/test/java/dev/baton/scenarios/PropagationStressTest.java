package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailurePolicy;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * A million tasks over a fixed pool of 8 threads, each submitted by a caller drawn at random from
 * 1,000 tokens plus anonymous: every task must see exactly its own caller, and no pool thread may
 * keep a binding once the pool drains.
 *
 * <p>It doubles as the leak scan: logging is captured at the most verbose level, one store handoff
 * in a hundred loses its snapshot (so the run-unauthenticated policy logs a warning with the task
 * key), and a sample of {@code toString()} output is kept; no bearer token may appear in any of it.
 */
@Tag("stress")
class PropagationStressTest {
  private static final int TASKS = 1_000_000;
  private static final int POOL_THREADS = 8;
  private static final int CALLERS = 1_000;
  private static final int SUBMITTERS = 2;
  private static final int MAX_IN_FLIGHT = 10_000;
  /** Every bearer token starts with this, so one substring search finds any of them. */
  private static final String TOKEN_PREFIX = "stress-bearer-";
  private static final int DROP_ONE_IN = 100;
  private static final int SAMPLE_ONE_IN = 1_000;

  /** How a task reaches its worker. */
  enum Handoff {
    /** {@code baton.capture()} into the store at submit, {@code baton.run(key, ...)} in the pool. */
    THROUGH_THE_STORE,
    /** {@code baton.wrap(pool)}: the snapshot travels with the task. */
    IN_PROCESS_WRAPPER
  }

  @ParameterizedTest
  @EnumSource(Handoff.class)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void millionTasks_overEightThreads_eachSeesExactlyItsOwnCaller_andNoThreadKeepsAToken(
      Handoff handoff) throws Exception {
    MemoryTokenSnapshotStore store =
        MemoryTokenSnapshotStore.builder().maximumSize(4L * MAX_IN_FLIGHT).build();
    Baton baton = Baton.builder().store(store)
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    List<AccessToken> callers = new ArrayList<>(CALLERS);
    for (int i = 0; i < CALLERS; i++) {
      callers.add(new AccessToken(TOKEN_PREFIX + i, "client-" + (i % 7), List.of("read"), null,
          null, Map.of("sub", "user-" + i)));
    }

    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    LongAdder completed = new LongAdder();
    LongAdder foreign = new LongAdder();
    LongAdder withoutContext = new LongAdder();
    LongAdder crashed = new LongAdder();
    LongAdder dropped = new LongAdder();
    Queue<String> sampledText = new ConcurrentLinkedQueue<>();
    AtomicInteger threadNumber = new AtomicInteger();
    ThreadFactory threads = runnable -> {
      Thread thread = new Thread(runnable, "stress-pool-" + threadNumber.incrementAndGet());
      thread.setUncaughtExceptionHandler((t, e) -> {
        // A task whose restore failed never ran its body: count it and free its permit.
        crashed.increment();
        inFlight.release();
      });
      return thread;
    };
    ExecutorService pool = Executors.newFixedThreadPool(POOL_THREADS, threads);
    ExecutorService wrapped = baton.wrap(pool);
    ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);

    long started = System.nanoTime();
    CapturedLogs logs = CapturedLogs.all().attach();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> submitting = new ArrayList<>();
      for (int s = 0; s < SUBMITTERS; s++) {
        submitting.add(submitters.submit(() -> {
          go.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < TASKS / SUBMITTERS; i++) {
            int pick = random.nextInt(CALLERS + 1);
            AccessToken caller = pick == CALLERS ? null : callers.get(pick);
            boolean drop = handoff == Handoff.THROUGH_THE_STORE && random.nextInt(DROP_ONE_IN) == 0;
            boolean sample = random.nextInt(SAMPLE_ONE_IN) == 0;
            // A lost snapshot runs unauthenticated under this policy: never as another caller.
            AccessToken expected = drop ? null : caller;
            inFlight.acquire();
            try (Scope request = baton.bindRequest(caller)) {
              Runnable check = () -> {
                try {
                  Optional<AccessToken> seen = Baton.currentToken();
                  if (seen.orElse(null) != expected) {
                    foreign.increment();
                  }
                  Optional<TaskContext> context = TaskContext.current();
                  if (context.isEmpty()) {
                    withoutContext.increment();
                  }
                  if (sample) {
                    sampledText.add(context + " " + seen);
                  }
                  completed.increment();
                } finally {
                  inFlight.release();
                }
              };
              if (handoff == Handoff.IN_PROCESS_WRAPPER) {
                wrapped.execute(check);
              } else {
                TaskKey key = baton.capture();
                if (drop) {
                  store.delete(key);
                  dropped.increment();
                }
                if (sample) {
                  sampledText.add(key + " " + store.load(key));
                }
                pool.execute(() -> baton.run(key, check));
              }
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> submitter : submitting) {
        submitter.get(4, TimeUnit.MINUTES);
      }
      assertThat(inFlight.tryAcquire(MAX_IN_FLIGHT, 2, TimeUnit.MINUTES))
          .as("every task finished").isTrue();
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
      System.out.printf("PropagationStressTest[%s]: %,d tasks over %d threads in %,d ms%n",
          handoff, TASKS, POOL_THREADS, elapsedMillis);

      List<Optional<AccessToken>> tokensLeft = probeEveryPoolThread(pool, Baton::currentToken);
      List<Optional<TaskContext>> contextsLeft = probeEveryPoolThread(pool, TaskContext::current);

      assertThat(crashed.sum()).as("tasks whose restore failed").isZero();
      assertThat(completed.sum()).isEqualTo(TASKS);
      assertThat(foreign.sum()).as("tasks that saw another caller").isZero();
      assertThat(withoutContext.sum()).as("tasks without a TaskContext").isZero();
      assertThat(tokensLeft).hasSize(POOL_THREADS).allSatisfy(t -> assertThat(t).isEmpty());
      assertThat(contextsLeft).hasSize(POOL_THREADS).allSatisfy(c -> assertThat(c).isEmpty());
      assertThat(store.estimatedSize()).as("snapshots left in the store").isZero();

      logs.close();
      if (handoff == Handoff.THROUGH_THE_STORE) {
        assertThat(dropped.sum()).as("lost snapshots").isPositive();
      }
      assertThat(logs.messagesAt(Level.WARNING)).as("a warning per lost snapshot")
          .hasSize((int) dropped.sum());
      assertThat(sampledText).as("sampled toString() output").isNotEmpty()
          .allSatisfy(text -> assertThat(text).doesNotContain(TOKEN_PREFIX));
      assertThat(logs.fullText()).as("everything logged").doesNotContain(TOKEN_PREFIX);
    } finally {
      logs.close();
      submitters.shutdownNow();
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      store.close();
    }
  }

  /**
   * Runs {@code probe} once on each of the pool's threads, straight on the raw pool: the probes
   * wait for each other on a barrier, so no thread can take two.
   */
  private static <T> List<T> probeEveryPoolThread(
      ExecutorService pool, java.util.function.Supplier<T> probe) throws Exception {
    CyclicBarrier allThreads = new CyclicBarrier(POOL_THREADS);
    List<Future<T>> probes = new ArrayList<>();
    for (int i = 0; i < POOL_THREADS; i++) {
      probes.add(pool.submit(() -> {
        allThreads.await(1, TimeUnit.MINUTES);
        return probe.get();
      }));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> result : probes) {
      results.add(result.get(2, TimeUnit.MINUTES));
    }
    return results;
  }
}
