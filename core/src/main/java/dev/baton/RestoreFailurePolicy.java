package dev.baton;

/**
 * What a worker does when it cannot restore a task's caller: the snapshot is missing (never
 * captured, expired, deleted), the store failed, the value could not be decoded, or the caller's
 * token had expired when the task was about to start. The last applies on every path, in-process
 * ones included ({@link Baton#wrap(java.util.concurrent.ExecutorService)}, {@link CallerBinding}),
 * and to {@link Baton#capture} of an expired caller: an expired caller never silently becomes
 * "no caller".
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
  /**
   * Run the task without a token, as if its caller had been anonymous (a capture of an expired
   * caller stores an anonymous marker).
   */
  RUN_UNAUTHENTICATED
}
