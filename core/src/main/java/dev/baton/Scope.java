package dev.baton;

/**
 * A binding of the current thread to a caller, undone by {@link #close()}.
 *
 * <p>Scopes nest: closing one restores exactly what the thread held when it was opened. Use them in
 * {@code try}-with-resources on the thread that opened them.
 */
public interface Scope extends AutoCloseable {
  /**
   * Restores the thread's previous binding. Idempotent and never throws: a scope closed out of order
   * or from another thread is logged at {@code WARNING} (the owning thread's binding is restored to
   * what this scope found when it opened, if this is the owning thread).
   */
  @Override
  void close();
}
