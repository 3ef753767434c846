package dev.baton;

/** When a task's snapshot is removed from the store once the task has run. */
public enum CleanupPolicy {
  /** Delete when the task completes, successfully or not (the default). */
  DELETE_ON_COMPLETION,
  /**
   * Delete only when the task succeeds; keep it after a failure, so a retried job runs as the same
   * caller. The snapshot still expires with its TTL.
   */
  DELETE_ON_SUCCESS,
  /** Never delete; the snapshot expires with its TTL (for tasks run more than once). */
  TTL_ONLY
}
