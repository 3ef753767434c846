package dev.baton;

/**
 * The scope of one running task, opened by {@link Baton#enter(TaskKey)}: while it is open,
 * {@link TaskContext#current()} is its context and {@link Baton#currentToken()} resolves to the
 * task's caller.
 *
 * <p>Closing it restores the thread and applies the {@link CleanupPolicy}. Under
 * {@link CleanupPolicy#DELETE_ON_SUCCESS}, call {@link #markSucceeded()} before closing; otherwise
 * the task counts as failed and its snapshot is kept. {@link Baton#run} and {@link Baton#call} do
 * this for you.
 *
 * <p>Not thread-safe: use a scope on the thread that opened it.
 */
public interface TaskScope extends Scope {
  /** The context the task sees. */
  TaskContext context();

  /** Records that the task body completed normally. */
  void markSucceeded();
}
