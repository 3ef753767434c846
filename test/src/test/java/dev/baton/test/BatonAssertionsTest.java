package dev.baton.test;

import static dev.baton.test.BatonAssertions.assertThat;
import static dev.baton.test.BatonAssertions.assertThatCurrentThread;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent.Type;
import dev.baton.Scope;
import dev.baton.TaskKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BatonExtension.class)
class BatonAssertionsTest {

  @Test
  void holdsSnapshotFor_ofCaller_passesForTheCapturedCaller(Baton baton, TestTokens tokens,
      FaultInjectingStore store) {
    AccessToken alice = tokens.caller("alice").clientId("web").scopes("reports:read").build();

    TaskKey key = baton.capture(TaskKey.random(alice), alice);

    assertThat(store).holdsSnapshotFor(key).ofCaller("alice", "web").of(alice)
        .hasScopes("reports:read");
  }

  @Test
  void holdsSnapshotFor_ofAnotherCaller_failsNamingBothButNoToken(Baton baton, TestTokens tokens,
      FaultInjectingStore store) {
    AccessToken alice = tokens.token("alice");
    TaskKey key = baton.capture(TaskKey.random(alice), alice);

    assertThatThrownBy(() -> assertThat(store).holdsSnapshotFor(key).ofSubject("bob"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("of subject bob")
        .hasMessageContaining("alice")
        .hasMessageNotContaining(alice.token());
  }

  @Test
  void holdsSnapshotFor_missingKey_fails(FaultInjectingStore store) {
    assertThatThrownBy(() -> assertThat(store).holdsSnapshotFor(new TaskKey("s", "none")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("holds none");
  }

  @Test
  void isAnonymous_passesForAnAnonymousCapture(Baton baton, FaultInjectingStore store) {
    TaskKey key = baton.capture(new TaskKey("s", "anon"), null);

    assertThat(store).holdsSnapshotFor(key).isAnonymous();
  }

  @Test
  void isEmpty_withALeftover_failsNamingTheKey(Baton baton, FaultInjectingStore store) {
    baton.capture(new TaskKey("jobs", "left-behind"), null);

    assertThatThrownBy(() -> assertThat(store).isEmpty())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("taskId=left-...(11 chars)");
  }

  @Test
  void isEmpty_afterTheTaskRan_passes(Baton baton, FaultInjectingStore store) {
    TaskKey key = baton.capture(new TaskKey("jobs", "done"), null);

    baton.run(key, () -> {});

    assertThat(store).isEmpty().doesNotHoldSnapshotFor(key).holdsSnapshots(0);
  }

  @Test
  void hasEvents_inAnotherOrder_fails(Baton baton, RecordingListener events) {
    TaskKey key = baton.capture(new TaskKey("jobs", "one"), null);
    baton.run(key, () -> {});

    // A capture with no caller is its own event type.
    assertThat(events).hasEvents(Type.CAPTURED_ANONYMOUS, Type.RESTORED, Type.DELETED)
        .hasEvent(Type.RESTORED).hasNoEvent(Type.MISSING);
    assertThatThrownBy(
            () -> assertThat(events).hasEvents(Type.RESTORED, Type.CAPTURED_ANONYMOUS))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but saw [CAPTURED_ANONYMOUS, RESTORED, DELETED]");
  }

  @Test
  void holdsNoBinding_insideARequest_failsNamingTheCaller(Baton baton, TestTokens tokens) {
    try (Scope request = baton.bindRequest(tokens.token("alice"))) {
      assertThatThrownBy(() -> assertThatCurrentThread().holdsNoBinding())
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("caller alice");
      assertThatCurrentThread().actsAs("alice");
    }
    assertThatCurrentThread().holdsNoBinding();
  }
}
