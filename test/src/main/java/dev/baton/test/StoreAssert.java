package dev.baton.test;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a {@link FaultInjectingStore} holds; reads go around injected faults. Obtain
 * through {@link BatonAssertions#assertThat(FaultInjectingStore)}.
 */
public final class StoreAssert extends AbstractAssert<StoreAssert, FaultInjectingStore> {

  StoreAssert(FaultInjectingStore actual) {
    super(actual, StoreAssert.class);
  }

  /**
   * Verifies that the store holds a live snapshot under {@code key}, and returns assertions on it
   * (whose caller it is).
   *
   * @throws dev.baton.codec.SnapshotDecodeException if the value there was
   *     {@linkplain FaultInjectingStore#corrupt corrupted}
   */
  public SnapshotAssert holdsSnapshotFor(TaskKey key) {
    Objects.requireNonNull(key, "key");
    isNotNull();
    Optional<TokenSnapshot> snapshot = actual.peek(key);
    if (snapshot.isEmpty()) {
      failWithMessage("Expecting the store to hold a snapshot for %s, but it holds none"
          + " (live keys: %s)", key, actual.keys());
    }
    return new SnapshotAssert(snapshot.orElseThrow(), key);
  }

  /** Verifies that the store holds no live entry under {@code key}. */
  public StoreAssert doesNotHoldSnapshotFor(TaskKey key) {
    Objects.requireNonNull(key, "key");
    isNotNull();
    if (actual.contains(key)) {
      failWithMessage("Expecting the store to hold no snapshot for %s, but it holds one", key);
    }
    return this;
  }

  /** Verifies that the store holds no live entry at all: nothing was left behind. */
  public StoreAssert isEmpty() {
    isNotNull();
    List<TaskKey> left = actual.keys();
    if (!left.isEmpty()) {
      failWithMessage("Expecting the store to be empty, but it holds %s snapshot(s): %s",
          left.size(), left);
    }
    return this;
  }

  /** Verifies that the store holds exactly {@code count} live entries. */
  public StoreAssert holdsSnapshots(int count) {
    isNotNull();
    List<TaskKey> live = actual.keys();
    if (live.size() != count) {
      failWithMessage("Expecting the store to hold %s snapshot(s), but it holds %s: %s",
          count, live.size(), live);
    }
    return this;
  }
}
