package dev.baton;

/**
 * A binding of the current thread to a caller, undone by {@link #close()}.
 *
 * <p>Scopes nest: closing one restores exactly what the thread held when it was opened. Use them in
 * {@code try}-with-resources on the thread that opened them.
 *
 * <p><b>Closing on another thread is rejected.</b> A scope belongs to the thread that opened it (its
 * owner). {@link #close()} called on any other thread throws {@link IllegalStateException} and
 * changes nothing: no thread's binding, no store entry, and the scope stays open, so the owner's
 * own close still restores its thread. A close from the wrong thread is a bug that would otherwise
 * leave a pooled thread acting as a caller for its next, unrelated task; failing loudly shows it.
 *
 * <p><b>Out of order.</b> Closing an enclosing scope while an inner one is open unwinds the inner
 * ones too; closing the inner one afterwards does nothing to the thread. Both are logged at
 * {@code WARNING}.
 *
 * <p><b>Errors.</b> If an {@code Error} (such as {@link StackOverflowError}) strikes while a scope is
 * opened, the thread is left exactly as before. Once {@link #close()} has begun, the thread no
 * longer acts as the scope's binding, even if an {@code Error} cuts the close short: the close ends
 * the binding first (a field write, which cannot fail) and only then restores the thread-local,
 * and nothing answers from an ended binding ({@link Baton#currentToken()},
 * {@link TaskContext#current()}, {@link CallerBinding#current()}, {@link Baton#isBound()}). What
 * such an Error leaves behind is cleared by the next Baton entry point on the thread
 * ({@link BatonEvent.Type#BINDING_ABANDONED}), or by closing the scope again. The call to
 * {@code close()} itself cannot be cut short either: a scope that the caller's code closes
 * ({@link Baton#bindRequest}, {@link Baton#enter}, {@link CallerBinding#install}) proves stack
 * headroom when it opens, so at the very end of the stack the {@code Error} strikes the open, which
 * binds nothing, and not the call to the close, which is made at the same depth. That holds when
 * the close is called from the method that opened the scope, as {@code try}-with-resources does.
 * Baton's own {@link Baton#run}, {@link Baton#call}, {@link CallerBinding} wrappers and wrapped
 * executors end their bindings in their own {@code finally} and need no such proof.
 */
public interface Scope extends AutoCloseable {
  /**
   * Restores the thread's previous binding. Idempotent on the owning thread; once it has completed,
   * a close on any thread does nothing.
   *
   * @throws IllegalStateException if called on a thread other than the one that opened the scope
   *     before it was closed; nothing is changed and the scope stays open
   */
  @Override
  void close();
}
