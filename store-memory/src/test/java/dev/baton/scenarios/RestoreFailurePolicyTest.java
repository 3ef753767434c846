package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.RestoreFailedException;
import dev.baton.RestoreFailurePolicy;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a worker does when the caller cannot be restored: fail (default) or run unauthenticated. */
class RestoreFailurePolicyTest {
  @RegisterExtension
  final CapturedLogs logs = CapturedLogs.atLevel(Level.INFO);

  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.builder()
      .ticker(time.ticker).codec(JsonSnapshotCodec.create()).build();
  private final List<BatonEvent> events = new CopyOnWriteArrayList<>();
  private final AccessToken alice = Tokens.of("policy-alice-jwt", "alice");

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Baton baton(RestoreFailurePolicy policy) {
    return Baton.builder().store(store).clock(time.clock).restoreFailurePolicy(policy)
        .listener(events::add).build();
  }

  /** A real value for alice, cut short: undecodable, and it still holds the token's bytes. */
  private TaskKey truncatedSnapshot(Baton baton) {
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "truncated"), alice);
    byte[] value = store.rawValue(key).orElseThrow();
    store.putRawValue(key, Arrays.copyOf(value, value.length - 3), Duration.ofMinutes(5));
    events.clear();
    return key;
  }

  @Test
  void failPolicy_isTheDefault() {
    Baton baton = Baton.builder().store(store).clock(time.clock).build();
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> baton.run(TaskKey.forCaller(alice, "missing"), () -> ran.set(true)))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(ran).isFalse();
  }

  @Test
  void run_whenSnapshotMissing_underFailPolicy_doesNotRunBody() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> baton.run(TaskKey.forCaller(alice, "missing"), () -> ran.set(true)))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(ran).isFalse();
  }

  @Test
  void run_whenStoreFails_underFailPolicy_doesNotRunBody() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);
    TaskKey key = truncatedSnapshot(baton);
    AtomicBoolean ran = new AtomicBoolean();

    assertThatThrownBy(() -> baton.run(key, () -> ran.set(true)))
        .isInstanceOf(RestoreFailedException.class);
    assertThat(ran).isFalse();
  }

  @Test
  void failPolicy_exceptionNamesTheTaskKey_notTheToken() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);
    TaskKey key = truncatedSnapshot(baton);

    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOf(RestoreFailedException.class)
        .hasMessageContaining(key.toString())
        .satisfies(e -> assertThat(Leaks.fullText(e)).doesNotContain(alice.token()));
  }

  @Test
  void failPolicy_logsExactlyOneWarning() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);

    assertThatThrownBy(() -> baton.run(TaskKey.forCaller(alice, "missing"), () -> { }))
        .isInstanceOf(RestoreFailedException.class);

    assertThat(logs.at(Level.WARNING)).hasSize(1);
  }

  @Test
  void failPolicy_publishesMissing() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);
    TaskKey key = TaskKey.forCaller(alice, "missing");

    assertThatThrownBy(() -> baton.run(key, () -> { })).isInstanceOf(RestoreFailedException.class);

    assertThat(events).containsExactly(new BatonEvent(BatonEvent.Type.MISSING, key, null));
  }

  @Test
  void failPolicy_storeFailure_publishesRestoreFailedWithTheCause() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);
    TaskKey key = truncatedSnapshot(baton);

    assertThatThrownBy(() -> baton.run(key, () -> { })).isInstanceOf(RestoreFailedException.class);

    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo(BatonEvent.Type.RESTORE_FAILED);
      assertThat(event.error()).isNotNull();
    });
  }

  @Test
  void runUnauthenticated_whenSnapshotMissing_runsTheBodyWithoutAToken() {
    Baton baton = baton(RestoreFailurePolicy.RUN_UNAUTHENTICATED);
    TaskKey key = TaskKey.forCaller(alice, "missing");

    Optional<AccessToken> seen = callOrFail(baton, key);

    assertThat(seen).isEmpty();
  }

  @Test
  void runUnauthenticated_whenStoreFails_runsTheBodyWithoutAToken() {
    Baton baton = baton(RestoreFailurePolicy.RUN_UNAUTHENTICATED);
    TaskKey key = truncatedSnapshot(baton);

    Optional<AccessToken> seen = callOrFail(baton, key);

    assertThat(seen).isEmpty();
  }

  @Test
  void runUnauthenticated_taskStillHasItsContextAndKey() {
    Baton baton = baton(RestoreFailurePolicy.RUN_UNAUTHENTICATED);
    TaskKey key = TaskKey.forCaller(alice, "missing");
    TaskKey[] seen = new TaskKey[1];

    baton.run(key, () -> seen[0] = TaskContext.current().orElseThrow().key());

    assertThat(seen[0]).isEqualTo(key);
  }

  @Test
  void runUnauthenticated_logsExactlyOneWarning() {
    Baton baton = baton(RestoreFailurePolicy.RUN_UNAUTHENTICATED);

    baton.run(TaskKey.forCaller(alice, "missing"), () -> { });

    assertThat(logs.at(Level.WARNING)).hasSize(1);
    assertThat(logs.messagesAt(Level.WARNING)).singleElement().asString()
        .contains("unauthenticated");
  }

  @Test
  void anonymousSnapshot_isNotARestoreFailure() {
    Baton baton = baton(RestoreFailurePolicy.FAIL);
    TaskKey key = baton.capture(TaskKey.forCaller(null, "anon"), null);

    Optional<AccessToken> seen = callOrFail(baton, key);

    assertThat(seen).isEmpty();
    assertThat(logs.at(Level.WARNING)).isEmpty();
  }

  private static Optional<AccessToken> callOrFail(Baton baton, TaskKey key) {
    try {
      return baton.call(key, Baton::currentToken);
    } catch (Exception e) {
      throw new AssertionError("task did not run", e);
    }
  }
}
