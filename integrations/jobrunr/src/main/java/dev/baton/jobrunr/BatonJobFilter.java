package dev.baton.jobrunr;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.TaskKey;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jobrunr.jobs.AbstractJob;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.filters.JobClientFilter;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.CarbonAwareAwaitingState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.jobs.states.StateName;
import org.jspecify.annotations.Nullable;

/**
 * Makes JobRunr jobs run as the caller who created them. Register it once, before the background
 * job server:
 *
 * <pre>{@code
 * JobRunr.configure()
 *     .useStorageProvider(storageProvider)
 *     .withJobFilter(BatonJobFilter.of(baton))
 *     .useBackgroundJobServer()
 *     .initialize();
 * }</pre>
 *
 * <p>Then {@code BackgroundJob.enqueue(() -> reports.generate(id))} &mdash; or
 * {@code jobScheduler.enqueue/schedule}, or the {@code JobBuilder} API &mdash; called on a thread
 * bound to a caller runs {@code reports.generate} as that caller on whichever server picks it up:
 * {@code Baton.currentToken()} works inside, with no Baton code in the job.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Creation</b> ({@link #onCreating}): the caller is saved in the Baton store under
 *       {@code TaskKey.forCaller(caller, jobId)}; only the key's {@linkplain TaskKey#encoded()
 *       encoded text} goes into the job's metadata under {@value #METADATA_KEY}, never the token.
 *       The key is {@code (}{@value #JOB_SCOPE}{@code , jobId)}. The snapshot's TTL covers a scheduled job's start ({@code scheduledAt} plus the snapshot
 *       TTL), never past the token's expiry plus leeway. A thread with no caller creates a job
 *       without a key, which runs with none. A job that starts after its caller's token expires
 *       is handled per {@link ScheduleAfterExpiryPolicy} (refused by default); a capture that
 *       fails refuses the job ({@link JobCreationRefusedError}). Recurring jobs, and the jobs
 *       they spawn, carry no caller: they run with none, even when created on a bound thread.
 *   <li><b>Processing</b> ({@link BatonJobPerformerFactory}, found by JobRunr's ServiceLoader):
 *       the caller is restored around the job on the thread that runs it and cleared afterwards;
 *       while it runs, a heartbeat keeps the snapshot alive ({@link Baton#heartbeat()}). A job
 *       whose caller cannot be restored does not run its body and ends FAILED with a
 *       {@link CallerNotRestoredException}.
 *   <li><b>Final state</b> ({@link #onProcessingSucceeded}, {@link #onStateApplied}): the
 *       snapshot is deleted when the job succeeds (as its body returns, before JobRunr records
 *       the success), fails with no retry left, or is deleted through JobRunr's API. When JobRunr
 *       schedules a retry, the snapshot is extended to cover it (never past the token's expiry
 *       plus leeway). A job deleted from the dashboard (JobRunr runs no filter then) leaves its
 *       snapshot to expire with its TTL.
 * </ul>
 *
 * <p><b>Retries and {@link dev.baton.RestoreMode}.</b> Under {@code LOAD} (the default) every
 * retry &mdash; after an exception, or after a worker died mid-job &mdash; runs as the caller while
 * the snapshot lives; one that starts after the token expired fails closed, not retried. Under
 * {@code TAKE} the first run consumes the snapshot, so the body runs at most once: a retry fails
 * closed (snapshot missing, not retried).
 *
 * <p>JobRunr catches and logs the exceptions of filter hooks, so no hook of this filter throws one;
 * failures are logged through {@link System.Logger} at WARNING, naming the job, never the token.
 * Thread-safe.
 */
public final class BatonJobFilter implements JobClientFilter, JobServerFilter, ApplyStateFilter {
  /** The job metadata entry holding the encoded {@link TaskKey}. */
  public static final String METADATA_KEY = "baton.taskKey";

  /**
   * The {@link TaskKey#scope()} of every job's snapshot; its task id is the job's id. Derived from
   * the job id alone, because JobRunr clears a job's metadata when it succeeds or is deleted, and
   * the snapshot must still be found then; and a key in the metadata that is not this one is
   * refused, so no job can name another job's snapshot.
   */
  public static final String JOB_SCOPE = "jobrunr";

  private static final System.Logger LOGGER = System.getLogger(BatonJobFilter.class.getName());

  private final Baton baton;
  private final ScheduleAfterExpiryPolicy scheduleAfterExpiry;

  private BatonJobFilter(Baton baton, ScheduleAfterExpiryPolicy scheduleAfterExpiry) {
    this.baton = baton;
    this.scheduleAfterExpiry = scheduleAfterExpiry;
  }

  /**
   * A filter capturing into {@code baton}'s store, refusing jobs scheduled after their caller's
   * token expires.
   *
   * @throws NullPointerException if {@code baton} is null
   * @throws IllegalStateException if {@code baton} has no store
   */
  public static BatonJobFilter of(Baton baton) {
    return of(baton, ScheduleAfterExpiryPolicy.REFUSE);
  }

  /**
   * A filter capturing into {@code baton}'s store, with the given policy for jobs scheduled after
   * their caller's token expires.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if {@code baton} has no store
   */
  public static BatonJobFilter of(Baton baton, ScheduleAfterExpiryPolicy scheduleAfterExpiry) {
    Objects.requireNonNull(baton, "baton");
    Objects.requireNonNull(scheduleAfterExpiry, "scheduleAfterExpiry");
    if (baton.store().isEmpty()) {
      throw new IllegalStateException("BatonJobFilter needs a Baton with a store that every"
          + " worker JVM shares: set Baton.builder().store(...)");
    }
    return new BatonJobFilter(baton, scheduleAfterExpiry);
  }

  /** The Baton jobs are captured into and restored from. */
  public Baton baton() {
    return baton;
  }

  // ---------------------------------------------------------------- creation

  /**
   * Captures the current caller for a new job (see the class contract).
   *
   * @throws JobCreationRefusedError if the caller cannot be captured, or its token expires before
   *     the job starts under {@link ScheduleAfterExpiryPolicy#REFUSE}
   */
  @Override
  public void onCreating(AbstractJob abstractJob) {
    if (!(abstractJob instanceof Job job) || job.getRecurringJobId().isPresent()) {
      return; // recurring jobs and their instances carry no caller
    }
    // A key already there came from elsewhere (a copied job, a second filter): never trusted.
    job.getMetadata().remove(METADATA_KEY);
    AccessToken caller = Baton.currentToken().orElse(null);
    // A caller whose token has already expired is not "no caller": capture applies Baton's rule
    // for expired callers to it (refused under FAIL), never a job that silently runs as nobody.
    if (caller == null && !CallerBinding.capture().isExpired()) {
      return;
    }
    Instant startsAt = startsAt(job.getJobState());
    Instant expiresAt = caller == null ? null : caller.expiresAt();
    if (startsAt != null && expiresAt != null && startsAt.isAfter(expiresAt)) {
      if (scheduleAfterExpiry == ScheduleAfterExpiryPolicy.RUN_WITHOUT_CALLER) {
        return;
      }
      throw new JobCreationRefusedError("Baton refused job " + job.getId() + ": it is scheduled"
          + " to start at " + startsAt + ", after its caller's token expires at " + expiresAt
          + ", so it could never run as its caller (ScheduleAfterExpiryPolicy.REFUSE)", null);
    }
    TaskKey key = keyFor(job.getId());
    // The key goes in first: if anything below fails half-way, the job fails closed when it runs.
    job.getMetadata().put(METADATA_KEY, key.encoded());
    try {
      if (caller != null) {
        baton.capture(key, caller);
      } else {
        baton.capture(key); // the expired caller, for the rule above
      }
      Duration untilStart =
          startsAt == null ? Duration.ZERO : Duration.between(baton.clock().instant(), startsAt);
      if (isPositive(untilStart)) {
        baton.heartbeat().retain(key, untilStart.plus(baton.heartbeat().ttl()));
      }
    } catch (RuntimeException e) {
      try {
        baton.store().orElseThrow().delete(key); // saved before a later step failed
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new JobCreationRefusedError("Baton refused job " + job.getId()
          + ": could not capture its caller under task " + key + ": " + e.getMessage(), e);
    }
  }

  /** The latest moment a new job may start: its schedule, or null when it is enqueued now. */
  private static @Nullable Instant startsAt(JobState state) {
    if (state instanceof ScheduledState scheduled) {
      return scheduled.getScheduledAt();
    }
    if (state instanceof CarbonAwareAwaitingState carbonAware) {
      return carbonAware.getTo(); // the latest moment it may start
    }
    return null;
  }

  // ---------------------------------------------------------------- final state

  /**
   * Deletes the snapshot of a job whose body has just completed normally: before JobRunr saves the
   * job as SUCCEEDED (and clears its metadata), so that no succeeded job is ever seen with a
   * snapshot left. Never throws.
   */
  @Override
  public void onProcessingSucceeded(Job job) {
    TaskKey key = keyOf(job);
    if (key == null) {
      return;
    }
    try {
      baton.store().orElseThrow().delete(key);
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "Could not delete the caller snapshot of succeeded job "
          + job.getId() + "; it expires with its TTL", e);
    }
  }

  /**
   * Deletes the job's snapshot when the job reaches a final state, and extends it over a retry
   * JobRunr has scheduled. Never throws.
   */
  @Override
  public void onStateApplied(Job job, JobState oldState, JobState newState) {
    // Called once per state change, each time with the job's latest state: act on that one only.
    if (newState != job.getJobState()) {
      return;
    }
    StateName state = job.getState();
    // JobRunr clears the metadata of a deleted job before filters see it: delete by the job id.
    TaskKey key = state == StateName.DELETED ? keyFor(job.getId()) : keyOf(job);
    if (key == null) {
      return; // a job without a caller; a succeeded one was cleaned up by onProcessingSucceeded
    }
    try {
      if (state == StateName.FAILED || state == StateName.DELETED) {
        baton.store().orElseThrow().delete(key);
      } else if (state == StateName.SCHEDULED && newState instanceof ScheduledState retry) {
        Duration untilRetry = Duration.between(baton.clock().instant(), retry.getScheduledAt());
        if (isPositive(untilRetry)) {
          baton.heartbeat().retain(key, untilRetry.plus(baton.heartbeat().ttl()));
        }
      }
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "Could not clean up the caller snapshot of job " + job.getId()
          + " (" + state + "); it expires with its TTL", e);
    }
  }

  /** The key of the job's snapshot: {@link #JOB_SCOPE} and the job's id. */
  static TaskKey keyFor(java.util.UUID jobId) {
    return new TaskKey(JOB_SCOPE, jobId.toString());
  }

  /** The job's key if its metadata names it, else null (a job without a caller). */
  static @Nullable TaskKey keyOf(Job job) {
    TaskKey key = keyFor(job.getId());
    return key.encoded().equals(job.getMetadata().get(METADATA_KEY)) ? key : null;
  }

  private static boolean isPositive(Duration d) {
    return !d.isNegative() && !d.isZero(); // Duration.isPositive() is Java 18
  }

  @Override
  public String toString() {
    return "BatonJobFilter[" + scheduleAfterExpiry + "]";
  }
}
