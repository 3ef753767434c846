package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.server.threadpool.PlatformThreadPoolJobRunrExecutor;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * JobRunr on its PostgreSQL storage provider (a fresh database per harness), configured through
 * {@code JobRunr.configure()} with a {@link BatonJobFilter}, one background job server whose pool
 * checks that every job leaves its thread unbound, and JobRunr's log records captured (kept off the
 * console, kept for scanning).
 */
final class JobRunrHarness implements AutoCloseable {
  /** The smallest poll interval JobRunr allows on SQL storage. */
  static final Duration POLL = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofMinutes(2);

  final String jdbcUrl;
  final HikariDataSource dataSource;
  final StorageProvider storage;
  final JobScheduler scheduler;
  /** Jobs after which the thread was still bound (must stay empty). */
  final List<String> boundAfterJob = new CopyOnWriteArrayList<>();
  final List<LogRecord> jobrunrLogs = new CopyOnWriteArrayList<>();
  private final Logger jobrunrLogger = Logger.getLogger("org.jobrunr");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      jobrunrLogs.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  JobRunrHarness(Baton baton, JobFilter... moreFilters) {
    this(BatonJobFilter.of(baton), moreFilters);
  }

  JobRunrHarness(BatonJobFilter filter, JobFilter... moreFilters) {
    jobrunrLogger.setUseParentHandlers(false);
    jobrunrLogger.addHandler(capture);
    jdbcUrl = TestPostgres.get().newDatabase();
    dataSource = TestPostgres.pool(jdbcUrl, 10);
    storage = new PostgresStorageProvider(dataSource);
    List<JobFilter> filters = new ArrayList<>(List.of(moreFilters));
    filters.add(filter);
    scheduler = JobRunr.configure()
        .useStorageProvider(storage)
        .withJobFilter(filters.toArray(JobFilter[]::new))
        .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
            .andPollInterval(POLL)
            .andBackgroundJobServerWorkerPolicy(new DefaultBackgroundJobServerWorkerPolicy(4,
                threads -> new PlatformThreadPoolJobRunrExecutor(threads, threads, "jobs") {
                  @Override
                  protected void afterExecute(Runnable r, Throwable t) {
                    super.afterExecute(r, t);
                    if (Baton.isBound()) {
                      boundAfterJob.add(Thread.currentThread().getName());
                    }
                  }
                })))
        .initialize()
        .getJobScheduler();
  }

  Job job(UUID id) {
    return storage.getJobById(id);
  }

  /** Waits until the job is in one of {@code states}; fails after two minutes. */
  Job await(UUID id, StateName... states) throws InterruptedException {
    Set<StateName> wanted = Set.of(states);
    Instant deadline = Instant.now().plus(WAIT);
    while (true) {
      Job job = job(id);
      if (wanted.contains(job.getState())) {
        return job;
      }
      assertThat(Instant.now()).as("job %s still %s, waiting for %s", id, job.getState(), wanted)
          .isBefore(deadline);
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    JobRunr.destroy();
    dataSource.close();
    jobrunrLogger.removeHandler(capture);
    jobrunrLogger.setUseParentHandlers(true);
  }
}
