package dev.baton.mcp;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jobrunr.jobs.context.JobContext;

/**
 * The background tests' job: JobRunr runs {@link #generate} on a worker thread and passes it its
 * {@link JobContext}; the job writes its result under its job id, as an application writes it to
 * its own store.
 */
public final class ReportJobs {
  private static final Map<UUID, String> RESULTS = new ConcurrentHashMap<>();

  private ReportJobs() {}

  /** Records which caller the job ran as; JobRunr calls it on a worker. */
  public static void generate(String month, JobContext context) {
    String ranAs = Baton.currentToken().map(AccessToken::subject).orElse("nobody");
    RESULTS.put(context.getJobId(), "report " + month + " for " + ranAs);
  }

  /** The result of a job, once it ran. */
  static Optional<String> resultOf(UUID jobId) {
    return Optional.ofNullable(RESULTS.get(jobId));
  }
}
