package dev.baton;

/**
 * What a worker does when it cannot restore a task's caller: the snapshot is missing (never
 * captured, expired, deleted), the store failed, or the value could not be decoded.
 *
 * <p>Either way a warning is logged and a listener event is sent. Note that an <em>anonymous</em>
 * snapshot (the caller had no token) is not a failure: the task runs without a token.
 */
public enum RestoreFailurePolicy {
  /**
   * Do not run the task: throw {@link RestoreFailedException} naming the task key (the default,
   * fail-closed).
   */
  FAIL,
  /** Run the task without a token, as if its caller had been anonymous. */
  RUN_UNAUTHENTICATED
}
