package dev.baton.test;

import dev.baton.BatonEvent;
import dev.baton.TaskKey;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the events a {@link RecordingListener} received, in order. Obtain through
 * {@link BatonAssertions#assertThat(RecordingListener)}.
 */
public final class RecordedEventsAssert
    extends AbstractAssert<RecordedEventsAssert, RecordingListener> {

  RecordedEventsAssert(RecordingListener actual) {
    super(actual, RecordedEventsAssert.class);
  }

  /** Verifies that the listener received exactly events of these types, in this order. */
  public RecordedEventsAssert hasEvents(BatonEvent.Type... types) {
    isNotNull();
    List<BatonEvent.Type> expected = List.of(types);
    List<BatonEvent.Type> seen = actual.types();
    if (!seen.equals(expected)) {
      failWithMessage("Expecting the events %s, in this order, but saw %s", expected, seen);
    }
    return this;
  }

  /** Verifies that the events about {@code key} are exactly of these types, in this order. */
  public RecordedEventsAssert hasEventsFor(TaskKey key, BatonEvent.Type... types) {
    Objects.requireNonNull(key, "key");
    isNotNull();
    List<BatonEvent.Type> expected = List.of(types);
    List<BatonEvent.Type> seen = actual.typesFor(key);
    if (!seen.equals(expected)) {
      failWithMessage("Expecting the events %s for %s, in this order, but saw %s", expected, key,
          seen);
    }
    return this;
  }

  /** Verifies that at least one event of {@code type} was received. */
  public RecordedEventsAssert hasEvent(BatonEvent.Type type) {
    Objects.requireNonNull(type, "type");
    isNotNull();
    if (!actual.types().contains(type)) {
      failWithMessage("Expecting an event %s, but saw %s", type, actual.types());
    }
    return this;
  }

  /** Verifies that no event of {@code type} was received. */
  public RecordedEventsAssert hasNoEvent(BatonEvent.Type type) {
    Objects.requireNonNull(type, "type");
    isNotNull();
    if (actual.types().contains(type)) {
      failWithMessage("Expecting no event %s, but saw %s", type, actual.types());
    }
    return this;
  }
}
