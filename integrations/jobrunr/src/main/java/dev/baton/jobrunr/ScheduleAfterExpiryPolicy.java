package dev.baton.jobrunr;

/**
 * What {@link BatonJobFilter} does with a job created by a caller whose token expires before the
 * job is scheduled to start: such a job could never run as its caller.
 */
public enum ScheduleAfterExpiryPolicy {
  /**
   * Refuse to create the job: the creating call ({@code BackgroundJob.schedule}, ...) throws
   * {@link JobCreationRefusedError} and nothing is stored (the default).
   */
  REFUSE,
  /**
   * Create the job without a caller: it runs with none ({@code Baton.currentToken()} empty), as a
   * recurring job does. Choose this only for jobs that need no caller.
   */
  RUN_WITHOUT_CALLER
}
