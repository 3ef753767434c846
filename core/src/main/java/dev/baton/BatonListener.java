package dev.baton;

/**
 * Receives {@link BatonEvent}s, synchronously, on the thread that caused them.
 *
 * <p>Must be thread-safe and quick. An exception thrown by a listener is logged at {@code WARNING}
 * and otherwise ignored: it never breaks a capture or a task.
 */
@FunctionalInterface
public interface BatonListener {
  /** A listener that ignores every event. */
  BatonListener NONE = event -> {};

  /** Called for each event. */
  void onEvent(BatonEvent event);
}
