package dev.baton.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension fails tests that leave identities behind. The leaky tests below are run through
 * the Jupiter engine by these tests (they are not run on their own: nested, non-{@code @Nested}).
 */
class LeakGuardTest {
  /** Scopes the leaky tests left open, closed afterwards so this thread is clean again. */
  static final List<AutoCloseable> LEFT_OPEN = new ArrayList<>();

  @AfterEach
  void closeWhatTheLeakyTestsLeft() throws Exception {
    for (int i = LEFT_OPEN.size() - 1; i >= 0; i--) {
      LEFT_OPEN.get(i).close();
    }
    LEFT_OPEN.clear();
    BatonAssertions.assertThatCurrentThread().holdsNoBinding();
  }

  private static Events run(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute()
        .testEvents();
  }

  @Test
  void testLeavingARequestBound_fails_namingTheCaller() {
    run(LeavesRequestBound.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
        instanceOf(AssertionError.class), message(m -> m.contains("left its thread bound")
            && m.contains("caller alice of client test-client")))));
  }

  @Test
  void testLeavingATaskOpen_fails_namingTheKey() {
    run(LeavesTaskOpen.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
        message(m -> m.contains("task TaskKey[scope=jobs, taskId=lea...(7 chars)]")))));
  }

  @Test
  void testLeavingAScopeInsideWithCaller_fails_andTheThreadIsCleanAfter() {
    run(LeavesScopeInsideWithCaller.class).assertThatEvents().haveExactly(1,
        event(finishedWithFailure(message(m -> m.contains("caller mallory")))));
    LEFT_OPEN.clear(); // closing the @WithCaller scope already restored the thread

    BatonAssertions.assertThatCurrentThread().holdsNoBinding();
  }

  @Test
  void leftoverSnapshots_whenOptedIn_fail_namingTheKey() {
    run(LeavesSnapshotStrict.class).assertThatEvents().haveExactly(1, event(finishedWithFailure(
        message(m -> m.contains("left 1 snapshot(s)") && m.contains("taskId=forg...(9 chars)")))));
  }

  @Test
  void leftoverSnapshots_byDefault_pass() {
    run(LeavesSnapshotLenient.class).assertThatEvents().haveExactly(1,
        event(finishedSuccessfully()));
  }

  @Test
  void aFailingTestThatAlsoLeaks_keepsItsOwnFailure_withTheLeakSuppressed() {
    Events events = run(FailsAndLeaks.class);

    events.assertThatEvents().haveExactly(1, event(finishedWithFailure(
        instanceOf(IllegalStateException.class), message("the test's own failure"))));
    Throwable thrown = events.failed().stream().findFirst().orElseThrow()
        .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
        .getThrowable().orElseThrow();
    assertThat(thrown.getSuppressed()).singleElement()
        .satisfies(s -> assertThat(s).hasMessageContaining("left its thread bound"));
  }

  // ---- the leaky tests ----------------------------------------------------------------------

  @ExtendWith(BatonExtension.class)
  static class LeavesRequestBound {
    @Test
    void leaks(Baton baton, TestTokens tokens) {
      LEFT_OPEN.add(baton.bindRequest(tokens.token("alice")));
    }
  }

  @ExtendWith(BatonExtension.class)
  static class LeavesTaskOpen {
    @Test
    void leaks(Baton baton) {
      TaskKey key = baton.capture(new TaskKey("jobs", "leaky-1"), null);
      LEFT_OPEN.add(baton.enter(key));
    }
  }

  @ExtendWith(BatonExtension.class)
  static class LeavesScopeInsideWithCaller {
    @Test
    @WithCaller(subject = "alice")
    void leaks(Baton baton, TestTokens tokens) {
      Scope scope = baton.bindRequest(tokens.token("mallory"));
      LEFT_OPEN.add(scope);
    }
  }

  static class LeavesSnapshotStrict {
    @RegisterExtension
    final BatonExtension baton = BatonExtension.builder().failOnLeftoverSnapshots().build();

    @Test
    void leaves(Baton b) {
      b.capture(new TaskKey("jobs", "forgotten"), null);
    }
  }

  static class LeavesSnapshotLenient {
    @RegisterExtension
    final BatonExtension baton = BatonExtension.builder().build();

    @Test
    void leaves(Baton b) {
      b.capture(new TaskKey("jobs", "forgotten"), null);
    }
  }

  @ExtendWith(BatonExtension.class)
  static class FailsAndLeaks {
    @Test
    void failsAndLeaks(Baton baton, TestTokens tokens) {
      AccessToken alice = tokens.token("alice");
      LEFT_OPEN.add(baton.bindRequest(alice));
      throw new IllegalStateException("the test's own failure");
    }
  }
}
