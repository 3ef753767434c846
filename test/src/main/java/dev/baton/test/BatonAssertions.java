package dev.baton.test;

/**
 * Entry points for Baton's AssertJ assertions; import them statically beside AssertJ's own
 * ({@code import static dev.baton.test.BatonAssertions.assertThat;}).
 *
 * <pre>{@code
 * assertThat(store).holdsSnapshotFor(key).ofCaller("alice", "web");
 * assertThat(store).isEmpty();                        // no leftovers
 * assertThat(events).hasEventsFor(key, CAPTURED, RESTORED, DELETED);
 * assertThatCurrentThread().holdsNoBinding();
 * }</pre>
 */
public final class BatonAssertions {
  private BatonAssertions() {}

  /** Assertions on what a store holds. */
  public static StoreAssert assertThat(FaultInjectingStore store) {
    return new StoreAssert(store);
  }

  /** Assertions on the events a {@link RecordingListener} received. */
  public static RecordedEventsAssert assertThat(RecordingListener events) {
    return new RecordedEventsAssert(events);
  }

  /** Assertions on what the current thread is bound to. */
  public static ThreadBindingAssert assertThatCurrentThread() {
    return new ThreadBindingAssert(Thread.currentThread());
  }
}
