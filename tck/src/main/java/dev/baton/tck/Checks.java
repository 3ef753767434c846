package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * What the contract groups ({@code RoundTripChecks}, {@code KeyChecks}, ...) share. The groups are
 * interfaces with default {@code @Test} methods that {@link TokenSnapshotStoreVerification}
 * implements, so every check runs as a method of the implementer's own class and reports under its
 * name (two certified stores in one build never share a report).
 */
final class Checks {
  private Checks() {}

  /** The running check's fixture, reached from a group interface implemented by a verification. */
  static Fixture fixtureOf(Object check) {
    return ((TokenSnapshotStoreVerification) check).currentFixture();
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
