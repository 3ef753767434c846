package dev.baton;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers the keys of one {@link Baton}'s in-process tasks: {@code local:1}, {@code local:2} ({@link Baton#LOCAL_SCOPE}), and
 * so on, unique per Baton. Thread-safe.
 */
final class LocalTaskIds {
  private final AtomicLong last = new AtomicLong();

  TaskKey next() {
    return new TaskKey(Baton.LOCAL_SCOPE, Long.toString(last.incrementAndGet()));
  }
}
