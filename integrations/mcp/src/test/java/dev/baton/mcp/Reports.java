package dev.baton.mcp;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jobrunr.jobs.context.JobContext;

/**
 * The background tests' job service: JobRunr creates it on a worker (public, no-argument
 * constructor) and calls {@link #generate} with the job's {@link JobContext}; the job writes its
 * result under its job id, as an application writes it to its own store.
 */
public final class Reports {
  private static final Map<UUID, String> RESULTS = new ConcurrentHashMap<>();

  /** Records which caller the job ran as; JobRunr calls it on a worker. */
  public void generate(String month, JobContext job) {
    String ranAs = Baton.currentToken().map(AccessToken::subject).orElse("nobody");
    RESULTS.put(job.getJobId(), "report " + month + " for " + ranAs);
  }

  /** The result of a job, once it ran. */
  public Optional<String> resultOf(UUID jobId) {
    return Optional.ofNullable(RESULTS.get(jobId));
  }
}
