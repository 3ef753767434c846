package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.jobrunr.BatonJobFilter;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
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
 * The per-job cost of JobRunr with Baton beside plain JobRunr on the same storage: each operation
 * enqueues a batch of {@value #BATCH} jobs from a request thread and waits until a background job
 * server in this JVM has run them all; the score is per job.
 *
 * <ul>
 *   <li>{@code plain}: JobRunr alone; the request thread holds no caller;
 *   <li>{@code baton}: JobRunr with {@link BatonJobFilter} on a memory store; the request thread is
 *       bound to a caller, so every job is captured at creation, restored (and leased) around its
 *       run, and its snapshot deleted when it succeeds. Each job checks it ran as its caller.
 * </ul>
 *
 * <p>Both on JobRunr's in-memory storage (poll interval 200 ms, 4 workers), so the figure is
 * Baton's own cost in JobRunr's path, not a database's; on PostgreSQL storage a job costs several
 * database round trips more in both variants, and the ratio is smaller. The target is
 * {@code baton} at most 1.1 x {@code plain}. JobRunr is configured through its static API, so one
 * benchmark runs per fork.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class JobRunrBenchmark {
  /**
   * Jobs per operation: large, because a batch that starts while every worker is idle waits for
   * JobRunr's next poll (up to 200 ms), the same for both variants; spread over 1,000 jobs that
   * wait is a small share of the per-job figure.
   */
  static final int BATCH = 1_000;

  /** The batch in flight: every job counts down; a job that ran as anyone else counts a miss. */
  static volatile CountDownLatch pending = new CountDownLatch(0);
  static final AtomicInteger MISSES = new AtomicInteger();

  /** A job: checks the caller it runs as and counts down. */
  public static void job(String expectedSubject) {
    String seen = Baton.currentToken().map(t -> String.valueOf(t.claims().get("sub")))
        .orElse("");
    if (!seen.equals(expectedSubject)) {
      MISSES.incrementAndGet();
    }
    pending.countDown();
  }

  /**
   * What both variants share: JobRunr configured on in-memory storage, with Baton's filter on a
   * memory store and a caller in the {@code baton} variant; destroyed after the trial.
   */
  @State(Scope.Benchmark)
  public abstract static class Variant {
    @Param({"plain", "baton"})
    public String variant = "plain";

    @Nullable JobScheduler scheduler;
    @Nullable InMemoryStorageProvider storage;
    @Nullable Baton baton;
    @Nullable MemoryTokenSnapshotStore store;
    @Nullable AccessToken caller;
    /** Held: JUL keeps loggers weakly, and a collected one forgets its level. */
    private final Logger jobrunrLogger = Logger.getLogger("org.jobrunr");

    /** JobRunr on fresh in-memory storage, with Baton's filter in the {@code baton} variant. */
    JobRunrConfiguration configure() {
      jobrunrLogger.setLevel(java.util.logging.Level.OFF); // its slow-filter notices
      InMemoryStorageProvider s = new InMemoryStorageProvider();
      storage = s;
      JobRunrConfiguration configuration = JobRunr.configure().useStorageProvider(s);
      if (variant.equals("baton")) {
        store = MemoryTokenSnapshotStore.create();
        baton = Baton.builder().store(store).build();
        caller = Fixtures.token(Instant.now().plus(Duration.ofHours(1)));
        configuration = configuration.withJobFilter(BatonJobFilter.of(baton));
      }
      return configuration;
    }

    @TearDown(Level.Trial)
    public void stop() {
      JobRunr.destroy();
      if (store != null) {
        store.close();
      }
      if (MISSES.get() != 0) {
        throw new IllegalStateException(MISSES.get() + " jobs ran as someone else");
      }
    }
  }

  /** JobRunr with a background job server in this JVM; per trial. */
  @State(Scope.Benchmark)
  public static class Engine extends Variant {
    @Setup(Level.Trial)
    public void start() {
      scheduler = configure().useBackgroundJobServer(BackgroundJobServerConfiguration
              .usingStandardBackgroundJobServerConfiguration()
              .andPollInterval(Duration.ofMillis(200))
              .andWorkerCount(4))
          .initialize()
          .getJobScheduler();
    }

    /**
     * Drops the batch's succeeded jobs, outside the measured time. JobRunr keeps succeeded jobs
     * for 36 hours by default, and its in-memory storage scans every job it holds on each poll:
     * kept, they made each batch slower than the one before (1 to 10 ms per job over one run, in
     * both variants alike), so the figure measured the pile, not the job.
     */
    @TearDown(Level.Invocation)
    public void dropSucceededJobs() {
      java.util.Objects.requireNonNull(storage, "storage")
          .deleteJobsPermanently(org.jobrunr.jobs.states.StateName.SUCCEEDED, Instant.now());
    }
  }

  /**
   * JobRunr with no job server, for the creation path alone, which the CPU bounds (no poll paces
   * it); per trial.
   */
  @State(Scope.Benchmark)
  public static class Creation extends Variant {
    @Setup(Level.Trial)
    public void start() {
      scheduler = configure().initialize().getJobScheduler();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void enqueueAndProcess(Engine engine) throws InterruptedException {
    JobScheduler scheduler = java.util.Objects.requireNonNull(engine.scheduler, "scheduler");
    CountDownLatch batch = new CountDownLatch(BATCH);
    pending = batch;
    Baton baton = engine.baton;
    AccessToken caller = engine.caller;
    String subject = caller == null ? "" : String.valueOf(caller.claims().get("sub"));
    try (dev.baton.Scope request = baton == null ? null : baton.bindRequest(caller)) {
      for (int i = 0; i < BATCH; i++) {
        scheduler.enqueue(() -> job(subject));
      }
    }
    if (!batch.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("a batch did not finish: " + batch.getCount() + " left");
    }
  }

  /**
   * One job created from a request thread (JobRunr's enqueue, its filters, its storage) and then
   * deleted with its snapshot, so that the storage and the store stay the same size: the half of
   * a job's path where Baton captures, measured without JobRunr's poll in it.
   */
  @Benchmark
  public Object enqueueAndDelete(Creation creation) {
    JobScheduler scheduler = java.util.Objects.requireNonNull(creation.scheduler, "scheduler");
    Baton baton = creation.baton;
    org.jobrunr.jobs.JobId id;
    try (dev.baton.Scope request = baton == null ? null : baton.bindRequest(creation.caller)) {
      id = scheduler.enqueue(() -> job("nobody"));
    }
    java.util.Objects.requireNonNull(creation.storage, "storage").deletePermanently(id.asUUID());
    MemoryTokenSnapshotStore store = creation.store;
    if (store != null && !store.delete(new dev.baton.TaskKey(BatonJobFilter.JOB_SCOPE,
        id.asUUID().toString()))) {
      throw new IllegalStateException("the job's snapshot was not captured");
    }
    return id;
  }
}
