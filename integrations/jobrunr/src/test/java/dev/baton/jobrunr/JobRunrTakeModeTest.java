package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreMode;
import dev.baton.Scope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RestoreMode#TAKE}: the first run consumes the snapshot, so a job body runs at most once.
 * A retry (after an exception, or after a worker died) finds the snapshot gone and fails closed,
 * without running and without a further retry.
 */
class JobRunrTakeModeTest {
  private static MemoryTokenSnapshotStore store;
  private static Baton baton;
  private static JobRunrHarness jobrunr;
  private static final AccessToken ALICE =
      Tokens.token("alice", Instant.now().plus(Duration.ofHours(1)));

  @BeforeAll
  static void start() {
    store = MemoryTokenSnapshotStore.create();
    baton = Baton.builder().store(store).restoreMode(RestoreMode.TAKE).build();
    jobrunr = new JobRunrHarness(baton, new RetryFilter(2, 1));
  }

  @AfterAll
  static void stop() {
    jobrunr.close();
    store.close();
  }

  @Test
  void take_failedBody_retryFailsClosedWithoutRunningTheBodyAgain() throws Exception {
    Jobs.FAILURES_LEFT.put("at-most-once", new AtomicInteger(1));
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = BackgroundJob.enqueue(() -> Jobs.recordThenFail("at-most-once")).asUUID();
    }

    Job failed = jobrunr.await(id, StateName.FAILED);

    assertThat(Jobs.runs("at-most-once")).containsExactly("alice");
    FailedState reason = failed.getJobState();
    assertThat(reason.getExceptionType()).isEqualTo(CallerNotRestoredException.class.getName());
    assertThat(reason.getExceptionMessage()).contains("no token snapshot");
    assertThat(reason.mustNotRetry()).isTrue();
  }

  @Test
  void take_succeedingJob_runsOnceAsTheCaller_andLeavesNoSnapshot() throws Exception {
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = BackgroundJob.enqueue(() -> Jobs.record("taken-once")).asUUID();
    }

    jobrunr.await(id, StateName.SUCCEEDED);

    assertThat(Jobs.runs("taken-once")).containsExactly("alice");
    assertThat(store.load(BatonJobFilter.keyFor(id))).isEmpty();
  }
}
