package dev.baton;

import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/** Sends events to the configured listener; a failing listener is logged and never breaks a task. */
final class BatonEvents {
  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());

  private final BatonListener listener;

  BatonEvents(BatonListener listener) {
    this.listener = listener;
  }

  void publish(BatonEvent.Type type, TaskKey key, @Nullable Throwable error) {
    if (listener == BatonListener.NONE) {
      return;
    }
    try {
      listener.onEvent(new BatonEvent(type, key, error));
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "BatonListener failed on " + type + " for task " + key, e);
    }
  }
}
