package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.baton.TaskKey;
import org.junit.jupiter.api.Test;

/** Lifecycle: after close every operation throws IllegalStateException; closing twice is fine. */
abstract class ClosedStoreChecks extends Checks {

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
  void close_twice_isHarmless() {
    fixture().closeStore();
    assertThatCode(() -> store().close()).as(rule("closing a store twice does nothing",
            "that close is idempotent (guard with an AtomicBoolean)"))
        .doesNotThrowAnyException();
  }

  @Test
  void save_afterClose_throwsIse() {
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class,
        () -> store().save(key, Samples.rich(), fixture().longTtl()),
        closedRule("save"));
  }

  @Test
  void load_afterClose_throwsIse() {
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().load(key),
        closedRule("load"));
  }

  @Test
  void delete_afterClose_throwsIse() {
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().delete(key),
        closedRule("delete"));
  }

  @Test
  void touch_afterClose_throwsIse() {
    fixture().assumeTouch();
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().touch(key, fixture().longTtl()),
        closedRule("touch"));
  }

  @Test
  void take_afterClose_throwsIse() {
    fixture().assumeTake();
    TaskKey key = closeWithEntry();
    assertThrows(IllegalStateException.class, () -> store().take(key),
        closedRule("take"));
  }
}
