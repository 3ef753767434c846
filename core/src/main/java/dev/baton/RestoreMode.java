package dev.baton;

import dev.baton.store.TokenSnapshotStore;

/**
 * How a worker reads a task's snapshot: keep it for a retry, or consume it so the task body runs at
 * most once.
 *
 * <p>{@link #LOAD} is the default because queues deliver at least once: a job that fails and is
 * redelivered must still find its caller ({@link CleanupPolicy#DELETE_ON_SUCCESS}), and every store
 * supports {@code load}. Choose {@link #TAKE} when running a task body twice is worse than not
 * running it (payments, emails).
 */
public enum RestoreMode {
  /**
   * {@link TokenSnapshotStore#load} the snapshot; the {@link CleanupPolicy} deletes it (or not) when
   * the task's scope closes. Concurrent deliveries of one key may each run the task (the default).
   */
  LOAD,
  /**
   * {@link TokenSnapshotStore#take} the snapshot: loaded and removed in one atomic store operation,
   * so of any number of concurrent or repeated restores of one key, at most one runs the task body;
   * the others find the snapshot {@link RestoreFailedException.Reason#MISSING missing} and fail.
   *
   * <p>Requires a store whose {@link TokenSnapshotStore#capabilities()} declares {@code take},
   * {@link RestoreFailurePolicy#FAIL} (running a task whose snapshot was already taken
   * unauthenticated would run it twice) and {@link CleanupPolicy#DELETE_ON_COMPLETION} (there is
   * nothing left to keep for a retry); {@link BatonBuilder#build()} refuses anything else.
   */
  TAKE
}
