package dev.baton.test;

import static dev.baton.test.BatonAssertions.assertThat;
import static dev.baton.test.BatonAssertions.assertThatCurrentThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent.Type;
import dev.baton.RestoreFailurePolicy;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatonExtensionTest {
  @RegisterExtension
  final BatonExtension extension = BatonExtension.builder().build();

  @Test
  void parameters_areTheTestsOneWorld(Baton baton, TestClock clock, FaultInjectingStore store,
      TokenSnapshotStore sameStore, RecordingListener events, TestTokens tokens) {
    assertThat(baton.store()).containsSame(store);
    assertThat(store).isSameAs(sameStore).isSameAs(extension.store());
    assertThat(baton.clock()).isSameAs(clock).isSameAs(extension.clock());
    assertThat(events).isSameAs(extension.events());
    assertThat(tokens).isSameAs(extension.tokens());
  }

  @Test
  void clock_startsAtTheDefaultStart(TestClock clock) {
    assertThat(clock.instant()).isEqualTo(TestClock.DEFAULT_START);
  }

  @Test
  void advance_expiresTheTokenInBatonAndTheSnapshotInTheStoreTogether(
      Baton baton, TestClock clock, FaultInjectingStore store, TestTokens tokens) {
    AccessToken alice = tokens.caller("alice").expiresIn(Duration.ofMinutes(5)).build();
    TaskKey key = baton.capture(TaskKey.random(alice), alice);

    clock.advance(Duration.ofMinutes(5));

    assertThat(alice.isExpired(baton.clock().instant(), Duration.ZERO)).isTrue();
    assertThat(store).doesNotHoldSnapshotFor(key);
  }

  @Test
  @WithCaller(subject = "alice", clientId = "web", scopes = {"reports:read"})
  void withCaller_bindsTheCallerOnTheTestThread(AccessToken caller) {
    assertThat(Baton.currentToken()).contains(caller);
    assertThat(caller.subject()).isEqualTo("alice");
    assertThat(caller.clientId()).isEqualTo("web");
    assertThat(caller.scopes()).containsExactly("reports:read");
    assertThat(caller.expiresAt()).isEqualTo(TestClock.DEFAULT_START.plus(Duration.ofHours(1)));
  }

  @Test
  @WithCaller(subject = "alice", expiresIn = "", resource = "https://api.example",
      claims = "tenant=acme")
  void withCaller_attributes_shapeTheToken(AccessToken caller) {
    assertThat(caller.expiresAt()).isNull();
    assertThat(caller.resource()).isEqualTo("https://api.example");
    assertThat(caller.claims()).containsEntry("tenant", "acme");
  }

  @Test
  @WithCaller(subject = "alice", expiresIn = "PT5M")
  void withCaller_tokenExpiresWithTheTestClock(TestClock clock) {
    clock.advance(Duration.ofMinutes(5));

    assertThat(Baton.currentToken()).isEmpty();
  }

  @Test
  @WithCaller(subject = "alice")
  void withCaller_capture_savesTheCaller(Baton baton, FaultInjectingStore store) {
    TaskKey key = baton.capture();

    assertThat(store).holdsSnapshotFor(key).ofCaller("alice", TestTokens.DEFAULT_CLIENT_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "b"})
  @WithCaller(subject = "bob")
  void withCaller_bindsParameterizedTestsToo(String ignored) {
    assertThatCurrentThread().actsAs("bob");
  }

  @Test
  void withoutCaller_theThreadHoldsNoBinding() {
    assertThatCurrentThread().holdsNoBinding();
  }

  @Test
  void run_recordsItsEventsInOrder(Baton baton, TestTokens tokens, RecordingListener events)
      throws Exception {
    AccessToken alice = tokens.token("alice");
    TaskKey key = baton.capture(TaskKey.random(alice), alice);
    AtomicReference<String> ranAs = new AtomicReference<>();

    baton.run(key, () -> ranAs.set(Baton.currentToken().orElseThrow().subject()));

    assertThat(ranAs).hasValue("alice");
    assertThat(events).hasEventsFor(key, Type.CAPTURED, Type.RESTORED, Type.DELETED);
  }

  @Test
  void batonWith_sharesTheStoreClockAndEvents_withItsOwnPolicy(FaultInjectingStore store,
      RecordingListener events) {
    Baton lenient = extension.batonWith(b -> b.restoreFailurePolicy(
        RestoreFailurePolicy.RUN_UNAUTHENTICATED));
    TaskKey missing = new TaskKey("scope", "missing");
    AtomicReference<Boolean> ran = new AtomicReference<>(false);

    lenient.run(missing, () -> ran.set(Baton.currentToken().isEmpty()));

    assertThat(lenient.store()).containsSame(store);
    assertThat(ran).hasValue(true);
    // Nothing was restored, so nothing is deleted.
    assertThat(events).hasEventsFor(missing, Type.MISSING);
  }

  @Test
  void accessors_outsideATest_areRejected() {
    BatonExtension idle = BatonExtension.builder().build();

    assertThatThrownBy(idle::baton)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no test is running");
  }
}
