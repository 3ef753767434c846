package dev.baton.store.redis;

import java.util.function.Supplier;

/**
 * A backend (a Redis server or cluster) that one test class shares across all its checks.
 *
 * <p>The resource starts on first {@link #get()} (a class whose checks are all filtered out starts
 * nothing), and the class closes it from {@code @AfterAll}; a later {@link #get()} starts a fresh
 * one. A JVM shutdown hook closes whatever is still open, so a
 * crashed run leaves no server (or temp directory) behind. Thread-safe.
 */
final class ClassResource<T extends AutoCloseable> {
  private final Supplier<T> starter;
  private T current;
  private boolean hookInstalled;

  ClassResource(Supplier<T> starter) {
    this.starter = starter;
  }

  /** The running resource, started now if there is none. */
  synchronized T get() {
    if (current == null) {
      current = starter.get();
      if (!hookInstalled) {
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "class-resource-close"));
      }
    }
    return current;
  }

  /** Closes the resource if one is running. Idempotent. */
  synchronized void close() {
    T running = current;
    current = null;
    if (running != null) {
      try {
        running.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + running, e);
      }
    }
  }
}
