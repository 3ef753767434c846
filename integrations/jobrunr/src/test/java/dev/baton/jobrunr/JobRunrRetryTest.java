package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries and the snapshot's life, with Baton's time (and the memory store's) under the test's
 * control: the token expires 30 minutes after capture, the snapshot TTL is one hour, JobRunr
 * retries twice a second apart.
 *
 * <p>The rule: a retry runs as the caller while the snapshot lives, which is at most until the
 * token's expiry plus leeway (a retry JobRunr schedules later extends the snapshot to cover it, up
 * to that limit). A retry after that fails closed, without running, and is not retried again. At
 * the job's final state (succeeded, failed with no retry left, deleted) the snapshot is deleted.
 */
class JobRunrRetryTest {
  private static final TestClock CLOCK = new TestClock();
  private static MemoryTokenSnapshotStore store;
  private static JobRunrHarness jobrunr;
  private static Baton baton;
  private AccessToken alice;

  @BeforeAll
  static void start() {
    store = MemoryTokenSnapshotStore.builder().ticker(CLOCK.ticker()).build();
    baton = Baton.builder().store(store).clock(CLOCK).snapshotTtl(Duration.ofHours(1))
        .build();
    jobrunr = new JobRunrHarness(baton, new RetryFilter(2, 1));
  }

  @BeforeEach
  void newCaller() {
    alice = Tokens.token("alice", CLOCK.instant().plus(Duration.ofMinutes(30)));
  }

  @AfterAll
  static void stop() {
    jobrunr.close();
    store.close();
  }

  @AfterEach
  void resetFailureHook() {
    Jobs.onFailure = () -> {};
  }

  private UUID enqueueFailing(String tag, int failures) {
    Jobs.FAILURES_LEFT.put(tag, new AtomicInteger(failures));
    try (Scope request = baton.bindRequest(alice)) {
      return BackgroundJob.enqueue(() -> Jobs.recordThenFail(tag)).asUUID();
    }
  }

  @Test
  void retries_whileTheSnapshotLives_runAsTheCaller_andSuccessDeletesIt() throws Exception {
    UUID id = enqueueFailing("retried", 2);

    jobrunr.await(id, StateName.SUCCEEDED);

    assertThat(Jobs.runs("retried")).containsExactly("alice", "alice", "alice");
    assertThat(store.load(BatonJobFilter.keyFor(id))).isEmpty();
  }

  @Test
  void retriesExhausted_jobFails_andItsSnapshotIsDeleted() throws Exception {
    UUID id = enqueueFailing("exhausted", 10);

    Job failed = jobrunr.await(id, StateName.FAILED);

    assertThat(Jobs.runs("exhausted")).containsExactly("alice", "alice", "alice");
    assertThat(failed.<FailedState>getJobState().getExceptionType())
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(store.load(BatonJobFilter.keyFor(id))).isEmpty();
  }

  @Test
  void retry_afterTheTokenExpired_failsClosedWithoutRunning_andIsNotRetried() throws Exception {
    Jobs.onFailure = () -> CLOCK.advance(Duration.ofMinutes(31)); // past the token's expiry
    UUID id = enqueueFailing("expired-before-retry", 2);

    Job failed = jobrunr.await(id, StateName.FAILED);

    assertThat(Jobs.runs("expired-before-retry")).containsExactly("alice");
    FailedState reason = failed.getJobState();
    assertThat(reason.getExceptionType()).isEqualTo(CallerNotRestoredException.class.getName());
    assertThat(reason.mustNotRetry()).isTrue();
    assertThat(failed.getJobStates()).filteredOn(s -> s.getName() == StateName.FAILED)
        .hasSize(2); // the body's failure, then Baton's: no further retry
  }
}
