package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.redis.harness.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.RetryFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.junit.jupiter.api.Test;

/**
 * A store outage when a job starts is a transient failure: the job fails closed without running,
 * JobRunr retries it, and the retry runs as the caller once the store is back.
 */
class StoreOutageTest {
  @Test
  void storeDownAtStart_failsClosedRetryably_thenTheRetryRunsAsTheCaller() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.builder().appendOnly(true).build().start();
        TokenSnapshotStore store = TokenSnapshotStores.open(URI.create(redis.uri()
            + "?commandTimeout=PT0.5S&sealingKeys=file:" + Tokens.keyRingFile()))) {
      Baton baton = Baton.builder().store(store).build();
      AccessToken alice = Tokens.token("alice", Instant.now().plus(Duration.ofHours(1)));
      try (JobRunrHarness jobrunr = new JobRunrHarness(baton, new RetryFilter(5, 1))) {
        UUID id;
        try (Scope request = baton.bindRequest(alice)) {
          id = jobrunr.scheduler.schedule(Instant.now().plusSeconds(1),
              () -> Jobs.record("outage")).asUUID();
        }
        redis.kill();
        Optional<FailedState> failure;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while ((failure = jobrunr.job(id).getLastJobStateOfType(FailedState.class)).isEmpty()) {
          assertThat(Instant.now()).as("the job never failed").isBefore(deadline);
          Thread.sleep(50);
        }
        assertThat(failure.get().getExceptionMessage()).contains("could not restore");
        assertThat(failure.get().mustNotRetry()).isFalse();
        assertThat(Jobs.runs("outage")).isEmpty();
        redis.restart();

        Job done = jobrunr.await(id, StateName.SUCCEEDED);

        assertThat(Jobs.runs("outage")).containsExactly("alice");
        assertThat(done.getJobStates()).filteredOn(s -> s.getName() == StateName.FAILED)
            .isNotEmpty();
        assertThat(store.load(BatonJobFilter.keyFor(id))).isEmpty();
      }
    }
  }
}
