package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listener events, and listeners that throw: logged, never breaking a task. */
class ListenerTest {
  @RegisterExtension
  final CapturedLogs logs = CapturedLogs.atLevel(Level.INFO);

  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final AccessToken alice = Tokens.of("listener-alice-jwt", "alice");

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }

  private static void explode(BatonEvent event) {
    throw new IllegalStateException("listener failed on " + event.type());
  }

  @Test
  void successfulTask_publishesCapturedRestoredDeleted_forItsKey() {
    List<BatonEvent> events = new CopyOnWriteArrayList<>();
    Baton baton = Baton.builder().store(store).clock(time.clock).listener(events::add).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t"), alice);

    baton.run(key, () -> { });

    assertThat(events).containsExactly(
        new BatonEvent(BatonEvent.Type.CAPTURED, key, null),
        new BatonEvent(BatonEvent.Type.RESTORED, key, null),
        new BatonEvent(BatonEvent.Type.DELETED, key, null));
  }

  @Test
  void tokenExpiredByTheTimeOfRestore_publishesExpired() {
    List<BatonEvent> events = new CopyOnWriteArrayList<>();
    Baton baton = Baton.builder().store(store).clock(time.clock).listener(events::add).build();
    AccessToken token = Tokens.expiringAt("listener-exp-jwt", "alice", time.now().plusSeconds(60));
    TaskKey key = baton.capture(TaskKey.forCaller(token, "t"), token);
    time.clock.advance(Duration.ofSeconds(61)); // Baton's clock only: the store still holds it

    // Under FAIL the task does not run, and the snapshot is left to its TTL (it never revives).
    assertThatThrownBy(() -> baton.run(key, () -> { }))
        .isInstanceOf(dev.baton.RestoreFailedException.class);

    assertThat(events).extracting(BatonEvent::type).containsExactly(
        BatonEvent.Type.CAPTURED, BatonEvent.Type.EXPIRED);
  }

  @Test
  void listenerThatThrows_doesNotBreakTheTask() throws Exception {
    Baton baton = Baton.builder().store(store).clock(time.clock)
        .listener(ListenerTest::explode).build();

    Optional<AccessToken> seen;
    try (Scope request = baton.bindRequest(alice)) {
      seen = baton.wrap(pool).submit(Baton::currentToken).get(10, TimeUnit.SECONDS);
    }

    assertThat(seen).contains(alice);
  }

  @Test
  void listenerThatThrows_doesNotStopCleanup() {
    Baton baton = Baton.builder().store(store).clock(time.clock)
        .listener(ListenerTest::explode).build();
    TaskKey key = baton.capture(TaskKey.forCaller(alice, "t"), alice);

    baton.run(key, () -> { });

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void listenerThatThrows_isLoggedAtWarningWithTheEventType() {
    Baton baton = Baton.builder().store(store).clock(time.clock)
        .listener(ListenerTest::explode).build();

    baton.capture(TaskKey.forCaller(alice, "t"), alice);

    assertThat(logs.at(Level.WARNING)).singleElement().satisfies(record -> {
      assertThat(logs.messagesAt(Level.WARNING).get(0)).contains("CAPTURED");
      assertThat(record.getThrown()).hasMessageContaining("listener failed");
    });
  }
}
