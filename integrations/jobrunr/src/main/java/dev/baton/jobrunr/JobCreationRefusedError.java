package dev.baton.jobrunr;

/**
 * Baton refused to create a job: its caller could not be captured (the store failed, the token is
 * too large) or its token expires before the job is scheduled to start (see
 * {@link ScheduleAfterExpiryPolicy#REFUSE}). Nothing was stored in JobRunr.
 *
 * <p><b>Why an {@link Error}:</b> JobRunr catches every {@link Exception} a creation filter throws,
 * logs it and saves the job anyway; an {@code Error} is the only thing a filter can throw that
 * stops the creation and reaches the code that created the job. Catch it there, as you would an
 * exception. The message names the job id and the reason, never the token.
 */
public final class JobCreationRefusedError extends Error {
  private static final long serialVersionUID = 1L;

  JobCreationRefusedError(String message, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
  }
}
