package dev.baton.examples.jobs;

import static dev.baton.test.BatonAssertions.assertThat;
import static dev.baton.test.BatonAssertions.assertThatCurrentThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.Baton;
import dev.baton.BatonEvent.Type;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailurePolicy;
import dev.baton.TaskKey;
import dev.baton.examples.jobs.ReportService.Outcome;
import dev.baton.examples.jobs.ReportService.Report;
import dev.baton.test.BatonExtension;
import dev.baton.test.WithCaller;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The report service, tested with baton-test: no hand-written clocks, tokens or fake stores. */
class ReportServiceTest {
  @RegisterExtension
  final BatonExtension baton = BatonExtension.builder()
      .configureBaton(b -> b.cleanupPolicy(CleanupPolicy.DELETE_ON_SUCCESS))
      .failOnLeftoverSnapshots()
      .build();

  /** Renders "<report> as <caller>", crashing as often as a test asks first. */
  private final AtomicInteger crashes = new AtomicInteger();
  private final ReportRenderer renderer = name -> {
    if (crashes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("renderer crashed");
    }
    return name + " as " + Baton.currentToken().map(t -> t.subject()).orElse("nobody");
  };
  private final ExecutorService workerThread = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopWorker() {
    workerThread.shutdownNow();
  }

  /** Runs the next job on the worker thread, and checks the worker kept no identity. */
  private Outcome work(ReportService service) throws Exception {
    return workerThread.submit(() -> {
      Outcome outcome = service.runNext();
      assertThatCurrentThread().holdsNoBinding();
      return outcome;
    }).get();
  }

  private ReportService service() {
    return new ReportService(baton.baton(), renderer);
  }

  @Test
  @WithCaller(subject = "alice", clientId = "web", scopes = "reports:read")
  void report_runsAsTheCallerWhoSubmittedIt() throws Exception {
    ReportService service = service();
    TaskKey key = service.submit("q3");
    assertThat(baton.store()).holdsSnapshotFor(key).ofCaller("alice", "web");

    assertThat(work(service)).isEqualTo(Outcome.COMPLETED);

    assertThat(service.result(key)).contains(new Report("q3", "alice", "q3 as alice"));
    assertThat(baton.events()).hasEventsFor(key, Type.CAPTURED, Type.RESTORED, Type.DELETED);
  }

  @Test
  @WithCaller(subject = "bob")
  void submit_withoutTheReportScope_isRefused() {
    assertThatThrownBy(() -> service().submit("q3")).isInstanceOf(SecurityException.class);
  }

  @Test
  @WithCaller(subject = "alice", scopes = "reports:read", expiresIn = "PT5M")
  void report_afterTheTokenExpired_isRejected_andNeverRuns() throws Exception {
    ReportService service = service();
    TaskKey key = service.submit("q3");

    baton.advance(Duration.ofMinutes(10)); // Baton's expiry and the store's TTL, together

    assertThat(work(service)).isEqualTo(Outcome.REJECTED);
    assertThat(service.result(key)).isEmpty();
    assertThat(baton.events()).hasEventsFor(key, Type.CAPTURED, Type.MISSING);
  }

  @Test
  @WithCaller(subject = "alice", scopes = "reports:read")
  void storeOutage_failClosed_retriesTheJobAsTheSameCaller() throws Exception {
    ReportService service = service();
    TaskKey key = service.submit("q3");

    try (var outage = baton.store().outage()) {
      assertThat(work(service)).isEqualTo(Outcome.RETRY_LATER);
    }
    assertThat(work(service)).isEqualTo(Outcome.COMPLETED);

    assertThat(service.result(key)).map(Report::body).contains("q3 as alice");
  }

  @Test
  @WithCaller(subject = "alice", scopes = "reports:read")
  void storeOutage_runUnauthenticated_runsTheJobAsNobody() throws Exception {
    ReportService service = new ReportService(
        baton.batonWith(b -> b.restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED)),
        renderer);
    TaskKey key = service.submit("q3");

    try (var outage = baton.store().outage()) {
      assertThat(work(service)).isEqualTo(Outcome.COMPLETED);
    }

    assertThat(service.result(key)).contains(new Report("q3", "public", "q3 as nobody"));
    // A task that did not restore its snapshot never deletes it: it stays for a retry, and
    // expires with its TTL.
    assertThat(baton.events()).hasEventsFor(key, Type.CAPTURED, Type.RESTORE_FAILED);
    assertThat(baton.store()).holdsSnapshotFor(key).ofSubject("alice");
    baton.advance(Baton.DEFAULT_SNAPSHOT_TTL);
    assertThat(baton.store()).doesNotHoldSnapshotFor(key);
  }

  @Test
  @WithCaller(subject = "alice", scopes = "reports:read")
  void crashedJob_isRetriedAsTheSameCaller() throws Exception {
    ReportService service = service();
    TaskKey key = service.submit("q3");
    crashes.set(1);

    assertThat(work(service)).isEqualTo(Outcome.RETRY_LATER);
    assertThat(baton.store()).holdsSnapshotFor(key).ofSubject("alice"); // kept for the retry
    assertThat(work(service)).isEqualTo(Outcome.COMPLETED);

    assertThat(service.result(key)).map(Report::body).contains("q3 as alice");
    assertThat(baton.store()).isEmpty();
  }

  @Test
  @WithCaller(subject = "alice", scopes = "reports:read")
  void corruptedSnapshot_isRetriedThenGivenUp_neverRunAsAnyone() throws Exception {
    ReportService service = service();
    TaskKey key = service.submit("q3");
    baton.store().corrupt(key);

    for (int attempt = 1; attempt < ReportService.MAX_ATTEMPTS; attempt++) {
      assertThat(work(service)).isEqualTo(Outcome.RETRY_LATER);
    }
    assertThat(work(service)).isEqualTo(Outcome.REJECTED);

    assertThat(service.result(key)).isEmpty();
    baton.store().drop(key); // a real store would expire it; the test clears it
  }
}
