package dev.baton.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FastMCP's first flaw: the token reached a task only through an optional injected dependency.
 * Here the restore happens at the task boundary, so plain code deep in a task just asks.
 */
class RestoreAtTaskBoundaryTest {
  private final TestTime time = new TestTime();
  private final MemoryTokenSnapshotStore store =
      MemoryTokenSnapshotStore.builder().ticker(time.ticker).build();
  private final Baton baton = Baton.builder().store(store).clock(time.clock).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final AccessToken alice = Tokens.of("boundary-alice-jwt", "alice");

  @AfterEach
  void tearDown() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    store.close();
  }

  /** Library code with no Baton parameter and no injection: it only calls the static accessor. */
  static final class DownstreamClient {
    static String authorizationHeader() {
      return Baton.currentToken().map(t -> "Bearer " + t.token()).orElse("none");
    }
  }

  /** A task that knows nothing about Baton. */
  static String plainTaskBody() {
    return DownstreamClient.authorizationHeader();
  }

  @Test
  void plainCodeInAWrappedExecutorTask_getsTheCallersToken() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);

    Future<String> header;
    try (Scope request = baton.bindRequest(alice)) {
      header = wrapped.submit(RestoreAtTaskBoundaryTest::plainTaskBody);
    }

    assertThat(header.get(10, TimeUnit.SECONDS)).isEqualTo("Bearer boundary-alice-jwt");
  }

  @Test
  void plainCodeInAWorkerTask_getsTheCallersToken() throws Exception {
    TaskKey key;
    try (Scope request = baton.bindRequest(alice)) {
      key = baton.capture();
    }

    Future<String> header = pool.submit(() -> baton.call(key, RestoreAtTaskBoundaryTest::plainTaskBody));

    assertThat(header.get(10, TimeUnit.SECONDS)).isEqualTo("Bearer boundary-alice-jwt");
  }

  @Test
  void plainCodeOnAThreadTheTaskStartsItself_getsNoToken() throws Exception {
    // The boundary is the task's thread: a thread the task spawns by hand is not a task.
    ExecutorService wrapped = baton.wrap(pool);
    ExecutorService unwrapped = Executors.newSingleThreadExecutor();
    try {
      Future<String> header;
      try (Scope request = baton.bindRequest(alice)) {
        header = wrapped.submit(() -> unwrapped.submit(RestoreAtTaskBoundaryTest::plainTaskBody)
            .get(10, TimeUnit.SECONDS));
      }

      assertThat(header.get(10, TimeUnit.SECONDS)).isEqualTo("none");
    } finally {
      unwrapped.shutdownNow();
    }
  }

  @Test
  void taskSubmittedFromATask_runsAsTheSameCaller() throws Exception {
    ExecutorService wrapped = baton.wrap(pool);

    Future<String> header;
    try (Scope request = baton.bindRequest(alice)) {
      header = wrapped.submit(() -> wrapped.submit(RestoreAtTaskBoundaryTest::plainTaskBody)
          .get(10, TimeUnit.SECONDS));
    }

    assertThat(header.get(10, TimeUnit.SECONDS)).isEqualTo("Bearer boundary-alice-jwt");
  }
}
