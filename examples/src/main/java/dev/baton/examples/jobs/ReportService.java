package dev.baton.examples.jobs;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailedException;
import dev.baton.TaskKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs reports as background jobs, each as the caller who asked for it.
 *
 * <p>A request handler calls {@link #submit} with the caller bound: the caller is captured into the
 * Baton store under a fresh key, and only the key goes on the job queue (here an in-memory queue;
 * in production a message broker). A worker, on another thread or in another process, calls
 * {@link #runNext()}: the job runs as its caller, and the {@link ReportRenderer} it calls sees that
 * caller through {@link Baton#currentToken()}.
 *
 * <p>Failures are retried: a job whose caller cannot be restored because the store failed, or whose
 * rendering crashed, goes back on the queue, up to {@link #MAX_ATTEMPTS} attempts. For a retried job
 * to still find its caller, the Baton must keep snapshots after a failure:
 * {@link CleanupPolicy#DELETE_ON_SUCCESS}. A job whose snapshot is gone (the token expired before the
 * worker got to it) is rejected: it never runs as anyone else.
 *
 * <p>Thread-safe.
 */
public final class ReportService {
  /** The scope a caller needs to ask for a report. */
  public static final String REQUIRED_SCOPE = "reports:read";
  /** How often a job is tried before it is given up. */
  public static final int MAX_ATTEMPTS = 3;

  /**
   * A finished report.
   *
   * @param name the report asked for
   * @param preparedFor the subject of the caller it ran as, or {@code "public"} when it ran without
   *     one
   * @param body what the renderer produced
   */
  public record Report(String name, String preparedFor, String body) {}

  /** What {@link #runNext()} did with a job. */
  public enum Outcome {
    /** The report was rendered. */
    COMPLETED,
    /** The job failed and is back on the queue. */
    RETRY_LATER,
    /** The job was given up: its caller is gone, or it failed {@link #MAX_ATTEMPTS} times. */
    REJECTED,
    /** The queue was empty. */
    IDLE
  }

  private record Job(TaskKey key, String reportName, int attempt) {}

  private final Baton baton;
  private final ReportRenderer renderer;
  private final Queue<Job> queue = new ConcurrentLinkedQueue<>();
  private final Map<TaskKey, Report> results = new ConcurrentHashMap<>();

  /**
   * A service running jobs with {@code baton} (configured with
   * {@link CleanupPolicy#DELETE_ON_SUCCESS}, so retries keep their caller).
   */
  public ReportService(Baton baton, ReportRenderer renderer) {
    this.baton = Objects.requireNonNull(baton, "baton");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
  }

  /**
   * Queues a report for the current caller; call it with the request bound.
   *
   * @return the job's key, to poll {@link #result} with
   * @throws SecurityException if there is no caller, or it lacks {@link #REQUIRED_SCOPE}
   */
  public TaskKey submit(String reportName) {
    Objects.requireNonNull(reportName, "reportName");
    AccessToken caller = Baton.currentToken()
        .orElseThrow(() -> new SecurityException("reports need an authenticated caller"));
    if (!caller.scopes().contains(REQUIRED_SCOPE)) {
      throw new SecurityException("reports need the scope " + REQUIRED_SCOPE);
    }
    TaskKey key = baton.capture();
    queue.add(new Job(key, reportName, 1));
    return key;
  }

  /** Runs the next queued job, if any, as its caller: the worker's loop body. */
  public Outcome runNext() {
    Job job = queue.poll();
    if (job == null) {
      return Outcome.IDLE;
    }
    try {
      baton.run(job.key(), () -> {
        String preparedFor = Baton.currentToken().map(AccessToken::subject).orElse("public");
        String body = renderer.render(job.reportName());
        results.put(job.key(), new Report(job.reportName(), preparedFor, body));
      });
      return Outcome.COMPLETED;
    } catch (RestoreFailedException e) {
      // A store failure may pass; a missing or expired caller never comes back.
      return e.reason() == RestoreFailedException.Reason.STORE_FAILED
          ? retry(job) : Outcome.REJECTED;
    } catch (RuntimeException crash) {
      return retry(job);
    }
  }

  /** The finished report of a job, or empty while it is pending (or was rejected). */
  public Optional<Report> result(TaskKey key) {
    return Optional.ofNullable(results.get(key));
  }

  /** How many jobs are queued. */
  public int queued() {
    return queue.size();
  }

  private Outcome retry(Job job) {
    if (job.attempt() >= MAX_ATTEMPTS) {
      return Outcome.REJECTED;
    }
    queue.add(new Job(job.key(), job.reportName(), job.attempt() + 1));
    return Outcome.RETRY_LATER;
  }
}
