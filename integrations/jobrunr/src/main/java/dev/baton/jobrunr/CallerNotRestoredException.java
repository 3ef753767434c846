package dev.baton.jobrunr;

import org.jobrunr.JobRunrException;
import org.jspecify.annotations.Nullable;

/**
 * A job did not run because Baton could not restore its caller: the job ends FAILED with this
 * exception as its reason, and its body never ran.
 *
 * <p>A failure that cannot heal (the snapshot is missing, the token has expired, the job's
 * metadata is malformed or names another job's key) is marked do-not-retry, so JobRunr's
 * {@code RetryFilter} does not schedule it again; a store failure may be transient and is retried
 * by JobRunr's retry policy. The message names the job and the task key, never the token.
 */
public final class CallerNotRestoredException extends JobRunrException {
  private static final long serialVersionUID = 1L;

  CallerNotRestoredException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, !retryable, cause);
  }

  /** Whether JobRunr may retry the job (the failure may be transient). */
  public boolean isRetryable() {
    return !isProblematicAndDoNotRetry();
  }
}
