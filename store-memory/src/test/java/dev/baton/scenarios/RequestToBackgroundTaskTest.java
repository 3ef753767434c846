package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The original seven behaviours, end to end: a request thread binds the caller and captures, a
 * worker thread restores and runs the task.
 */
class RequestToBackgroundTaskTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() throws InterruptedException {
    worker.shutdownNow();
    worker.awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }

  private BatonBuilder baton() {
    return Baton.builder().store(store).clock(time.clock);
  }

  /** Binds {@code caller} on this (request) thread, captures, and runs {@code task} on the worker. */
  private <T> T submitAs(Baton baton, AccessToken caller, Callable<T> task) throws Exception {
    TaskKey key;
    try (Scope request = baton.bindRequest(caller)) {
      key = baton.capture();
    }
    return worker.submit(() -> baton.call(key, task)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void tokenBoundInTheRequest_roundTripsIntoABackgroundTaskOnAnotherThread() throws Exception {
    Baton baton = baton().build();
    AccessToken caller = new AccessToken("roundtrip-jwt", "test-client", List.of(), null, null,
        Map.of());
    Thread requestThread = Thread.currentThread();

    Thread[] ranOn = new Thread[1];
    Optional<AccessToken> seen = submitAs(baton, caller, () -> {
      ranOn[0] = Thread.currentThread();
      return Baton.currentToken();
    });

    assertThat(ranOn[0]).isNotSameAs(requestThread);
    assertThat(seen).hasValueSatisfying(token -> {
      assertThat(token.token()).isEqualTo("roundtrip-jwt");
      assertThat(token.clientId()).isEqualTo("test-client");
    });
  }

  @Test
  void unauthenticatedSubmit_taskSeesNoToken() throws Exception {
    Baton baton = baton().build();

    Optional<AccessToken> seen = submitAs(baton, null, Baton::currentToken);

    assertThat(seen).isEmpty();
  }

  @Test
  void expiredToken_isRefusedAtCapture_underFail() {
    Baton baton = baton().build();
    AccessToken expired = Tokens.expiringAt("expired-jwt", "alice", time.now().minusSeconds(1));

    assertThatThrownBy(() -> submitAs(baton, expired, Baton::currentToken))
        .isInstanceOf(dev.baton.RestoreFailedException.class)
        .hasMessageContaining("expired before it was captured");
  }

  @Test
  void expiredToken_underRunUnauthenticated_taskSeesNoToken() throws Exception {
    Baton baton = baton().restoreFailurePolicy(dev.baton.RestoreFailurePolicy.RUN_UNAUTHENTICATED)
        .build();
    AccessToken expired = Tokens.expiringAt("expired-jwt", "alice", time.now().minusSeconds(1));

    Optional<AccessToken> seen = submitAs(baton, expired, Baton::currentToken);

    assertThat(seen).isEmpty();
  }

  @Test
  void tokenExpiringInTheFuture_taskSeesIt() throws Exception {
    Baton baton = baton().build();
    AccessToken valid = Tokens.expiringAt("future-jwt", "alice", time.now().plusSeconds(300));

    Optional<AccessToken> seen = submitAs(baton, valid, Baton::currentToken);

    assertThat(seen).contains(valid);
  }

  @Test
  void tokenWithoutExpiry_taskSeesIt() throws Exception {
    Baton baton = baton().build();
    AccessToken forever = Tokens.of("no-expiry-jwt", "alice");
    time.advance(Duration.ofDays(365));

    Optional<AccessToken> seen = submitAs(baton, forever, Baton::currentToken);

    assertThat(seen).contains(forever);
  }

  @Test
  void task_seesTheAppsLifespanContext() throws Exception {
    Object database = new Object();
    Baton baton = baton().lifespan(Map.of("db", database, "region", "eu-west-1")).build();

    Map<String, Object> seen = submitAs(baton, Tokens.of("lifespan-jwt", "alice"),
        () -> TaskContext.current().orElseThrow().lifespan());

    assertThat(seen).containsEntry("region", "eu-west-1");
    assertThat(seen.get("db")).isSameAs(database);
  }

  @Test
  void noLifespanConfigured_taskSeesAnEmptyMap() throws Exception {
    Baton baton = baton().build();

    Map<String, Object> seen = submitAs(baton, Tokens.of("no-lifespan-jwt", "alice"),
        () -> TaskContext.current().orElseThrow().lifespan());

    assertThat(seen).isNotNull().isEmpty();
  }
}
