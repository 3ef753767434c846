package dev.baton.jobrunr;

import java.util.List;
import java.util.Optional;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobDefaultFilters;
import org.jobrunr.jobs.filters.JobFilter;
import org.jobrunr.jobs.filters.JobPerformingFilters;
import org.jobrunr.server.BackgroundJobPerformer;
import org.jobrunr.server.BackgroundJobPerformerFactory;
import org.jobrunr.server.BackgroundJobServer;

/**
 * The part of Baton that can stop a job: JobRunr finds it with its {@link java.util.ServiceLoader}
 * (this jar declares it) and uses it, in place of its own, to make the performer of every job.
 *
 * <p>Why a performer and not a filter hook: JobRunr catches and logs the exceptions of every filter
 * hook ({@code onProcessing} included) and runs the job anyway, so a filter cannot keep a job's
 * body from running as nobody. The performer restores the caller before JobRunr moves the job to
 * PROCESSING; a failure there fails the job (FAILED, with a {@link CallerNotRestoredException})
 * before any of its code runs.
 *
 * <p>A server without a {@link BatonJobFilter} among its job filters gets JobRunr's own performer,
 * unchanged &mdash; except for a job created with a caller, which it fails (retryably) instead of
 * running it as nobody. Its priority ({@value #PRIORITY}) is above JobRunr's built-in factory (10).
 */
public final class BatonJobPerformerFactory implements BackgroundJobPerformerFactory {
  /** This factory's priority: JobRunr uses the factory with the highest. */
  public static final int PRIORITY = 100;

  /** For the ServiceLoader. */
  public BatonJobPerformerFactory() {}

  @Override
  public int getPriority() {
    return PRIORITY;
  }

  @Override
  public BackgroundJobPerformer newBackgroundJobPerformer(BackgroundJobServer server, Job job) {
    Optional<BatonJobFilter> filter = FilterLookup.batonFilter(job, server.getJobFilters());
    if (filter.isPresent()) {
      return new BatonJobPerformer(server, job, filter.get());
    }
    if (job.getMetadata().containsKey(BatonJobFilter.METADATA_KEY)) {
      // A job created with a caller, picked up by a server that cannot restore one: it would run
      // as nobody. Fail it (retryable: a correctly configured server may pick the retry up).
      return new UnconfiguredServerPerformer(server, job);
    }
    return new BackgroundJobPerformer(server, job);
  }

  /** Fails a job that has a caller on a server without a {@link BatonJobFilter}. */
  private static final class UnconfiguredServerPerformer extends BackgroundJobPerformer {
    private final Job job;

    UnconfiguredServerPerformer(BackgroundJobServer server, Job job) {
      super(server, job);
      this.job = job;
    }

    @Override
    protected void performJob() {
      throw new CallerNotRestoredException("Baton did not run job " + job.getId() + ": it was"
          + " created with a caller, and this background job server has no BatonJobFilter"
          + " (register it with JobRunr.configure().withJobFilter(BatonJobFilter.of(baton))"
          + " before useBackgroundJobServer)", true, null);
    }
  }

  /**
   * Reads the server's filters (and the job's {@code @Job(jobFilters=...)}) the way JobRunr resolves
   * them for the job, through the protected accessor its own filter runners use.
   */
  private static final class FilterLookup extends JobPerformingFilters {
    private FilterLookup(Job job, JobDefaultFilters filters) {
      super(job, filters);
    }

    static Optional<BatonJobFilter> batonFilter(Job job, JobDefaultFilters filters) {
      List<JobFilter> resolved = new FilterLookup(job, filters).jobFilters();
      BatonJobFilter found = null;
      for (JobFilter f : resolved) {
        if (f instanceof BatonJobFilter baton) {
          found = baton; // the last one registered wins, as for JobRunr's own elect-state filter
        }
      }
      return Optional.ofNullable(found);
    }
  }
}
