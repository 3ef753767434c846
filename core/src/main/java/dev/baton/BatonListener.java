package dev.baton;

/**
 * Receives {@link BatonEvent}s, synchronously, on the thread that caused them.
 *
 * <p>Must be thread-safe and quick. An exception thrown by a listener is logged at {@code WARNING}
 * and otherwise ignored: it never breaks a capture or a task.
 *
 * <p>An {@link Error} (an {@code AssertionError} from a test listener, an
 * {@code OutOfMemoryError}) is not swallowed: it propagates from the Baton call that published the
 * event, with the thread left exactly as before that call. Under {@link RestoreMode#TAKE} an
 * {@code Error} from the {@code RESTORED} event arrives after the snapshot was taken, so that task
 * neither runs nor can be retried; keep Errors out of listeners.
 */
@FunctionalInterface
public interface BatonListener {
  /** A listener that ignores every event. */
  BatonListener NONE = event -> {};

  /** Called for each event. */
  void onEvent(BatonEvent event);
}
