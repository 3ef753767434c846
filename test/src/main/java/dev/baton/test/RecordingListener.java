package dev.baton.test;

import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.TaskKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link BatonListener} that keeps every event, in the order they happened, for assertions
 * ({@code BatonAssertions.assertThat(events)}).
 *
 * <p>Thread-safe: events from worker threads are kept in the order they were received.
 */
public final class RecordingListener implements BatonListener {
  private final List<BatonEvent> events = new ArrayList<>();

  /** An empty recorder. */
  public RecordingListener() {}

  @Override
  public void onEvent(BatonEvent event) {
    Objects.requireNonNull(event, "event");
    synchronized (events) {
      events.add(event);
    }
  }

  /** Every event so far, oldest first (a copy). */
  public List<BatonEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** The types of every event so far, oldest first. */
  public List<BatonEvent.Type> types() {
    return events().stream().map(BatonEvent::type).toList();
  }

  /**
   * The types of the events about {@code key}, oldest first.
   *
   * @throws NullPointerException if {@code key} is null
   */
  public List<BatonEvent.Type> typesFor(TaskKey key) {
    Objects.requireNonNull(key, "key");
    List<BatonEvent.Type> types = new ArrayList<>();
    for (BatonEvent event : events()) {
      if (event.key().equals(key)) {
        types.add(event.type());
      }
    }
    return types;
  }

  /** Forgets every event so far. */
  public void clear() {
    synchronized (events) {
      events.clear();
    }
  }

  @Override
  public String toString() {
    return "RecordingListener" + types();
  }
}
