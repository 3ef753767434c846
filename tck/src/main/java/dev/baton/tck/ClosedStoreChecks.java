package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static dev.baton.tck.Checks.assertThrows;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/** Lifecycle: after close every operation throws IllegalStateException; closing twice is fine. */
interface ClosedStoreChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


  private TaskKey closeWithEntry() {
    TaskKey key = fixture().key("closed");
    store().save(key, Samples.rich(), fixture().longTtl());
    fixture().closeStore();
    return key;
  }

  private static String closedRule(String operation) {
    return rule(operation + " on a closed store throws IllegalStateException",
        "that every operation checks a 'closed' flag first (a closed Lettuce connection throws"
            + " its own exception type, which must not leak)");
  }

  @Test
  default void close_twice_isHarmless() {
    fixture().closeStore();
    assertThatCode(() -> store().close()).as(rule("closing a store twice does nothing",
            "that close is idempotent (guard with an AtomicBoolean)"))
        .doesNotThrowAnyException();
  }

  @Test
  default void save_afterClose_throwsIse() {
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class,
        () -> store().save(key, Samples.rich(), fixture().longTtl()),
        closedRule("save"));
  }

  @Test
  default void load_afterClose_throwsIse() {
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().load(key),
        closedRule("load"));
  }

  @Test
  default void delete_afterClose_throwsIse() {
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().delete(key),
        closedRule("delete"));
  }

  @Test
  default void touch_afterClose_throwsIse() {
    fixture().assumeTouch();
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().touch(key, fixture().longTtl()),
        closedRule("touch"));
  }

  @Test
  default void take_afterClose_throwsIse() {
    fixture().assumeTake();
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().take(key),
        closedRule("take"));
  }
}
