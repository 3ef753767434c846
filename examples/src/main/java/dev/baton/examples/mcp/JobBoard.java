package dev.baton.examples.mcp;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where job states live, shared by the server (which answers {@code report_status}) and whichever
 * worker runs the job. Implementations are thread-safe.
 */
public interface JobBoard {
  /** Field: the {@link dev.baton.TaskKey#callerScope caller scope} that started the job. */
  String OWNER = "owner";
  /** Field: {@link #QUEUED}, {@link #RUNNING}, {@link #DONE} or {@link #FAILED}. */
  String STATUS = "status";
  /** Field: the subject the downstream API saw, or {@link #NO_CALLER}. */
  String RAN_AS = "ran_as";
  /** Field: the lifespan context value {@code app} the job read. */
  String APP = "app";
  /** Field: why the job failed. */
  String REASON = "reason";

  /** Status of a job no worker has started. */
  String QUEUED = "queued";
  /** Status of a job a worker has started. */
  String RUNNING = "running";
  /** Status of a finished job. */
  String DONE = "done";
  /** Status of a job that could not run (or not finish) as its caller. */
  String FAILED = "failed";
  /** The {@link #RAN_AS} of a job that ran without a caller (its token had expired). */
  String NO_CALLER = "(no caller)";

  /** Records a new job of the caller whose scope is {@code owner}. */
  void queued(String jobId, String owner);

  /** Records that a worker started the job. */
  void running(String jobId);

  /** Records a finished job. */
  void done(String jobId, String ranAs, String app);

  /** Records a job that failed. */
  void failed(String jobId, String reason);

  /** The job's fields, or null for an unknown id. */
  @Nullable Map<String, String> status(String jobId);
}
