package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.store.TokenSnapshotStore;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Base of the contract groups that {@link TokenSnapshotStoreVerification} nests: each group reaches
 * the current check's {@link Fixture} through {@link #fixture()}.
 */
abstract class Checks {
  Checks() {}

  /** The current check's fixture (set up by the verification before each check). */
  abstract Fixture fixture();

  final TokenSnapshotStore store() {
    return fixture().store();
  }

  /**
   * A failure message: the rule first, then where to look.
   *
   * @param rule the rule as a sentence, e.g. "load returns the snapshot saved"
   * @param hint what to check, completing "if this fails, check ..."
   */
  static String rule(String rule, String hint) {
    return rule + " — if this fails, check " + hint;
  }

  /**
   * Asserts that {@code call} throws {@code type}; the failure message starts with {@code rule}
   * (also when nothing was thrown).
   */
  static void assertThrows(Class<? extends Throwable> type, ThrowingCallable call, String rule) {
    Throwable thrown = catchThrowable(call);
    String nothing = thrown == null ? " [nothing was thrown]" : "";
    assertThat(thrown).as(rule + nothing).isInstanceOf(type);
  }
}
