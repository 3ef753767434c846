package dev.baton.examples.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.test.TestClock;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportServerTest {
  private final TestClock clock = TestClock.startingAt(java.time.Instant.now());
  private TokenSnapshotStore store;
  private DemoIssuer issuer;
  private LocalJobQueue queue;
  private ReportServer server;

  @BeforeEach
  void start() throws Exception {
    store = TokenSnapshotStores.open(URI.create("memory:local"));
    issuer = DemoIssuer.create(clock);
    Baton baton = Baton.builder().store(store).clock(clock).lifespan(Map.of("app", "test")).build();
    queue = new LocalJobQueue(2, true);
    server = new ReportServer(baton, issuer, new MemoryJobBoard(), queue, false);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    store.close();
  }

  @Test
  void startReport_runsAsCaller() throws Exception {
    try (DemoClient alice = new DemoClient(server.baseUri(),
        issuer.issue("alice", "web-app", Duration.ofHours(1)))) {
      String job = alice.startReport("q3");
      queue.release();
      Map<String, Object> status = JobAwait.finished(alice, job);
      assertThat(status).containsEntry("status", "done").containsEntry("ran_as", "alice")
          .containsEntry("app", "test");
    }
  }
}
