package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.jdbc.JdbcTokenSnapshotStore;
import dev.baton.store.redis.harness.RedisServerProcess;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.junit.jupiter.api.Test;

/**
 * A job that runs longer than the snapshot TTL keeps its snapshot alive (the heartbeat renews it
 * while the job runs), on the real network stores: sealed Redis and PostgreSQL.
 */
class SlidingTtlTest {
  private static final Duration TTL = Duration.ofSeconds(2);

  @Test
  void longJob_onRedis_keepsItsSnapshotPastTheTtl_untilItSucceeds() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.startDefault();
        TokenSnapshotStore store = TokenSnapshotStores.open(
            URI.create(redis.uri() + "?sealingKeys=file:" + Tokens.keyRingFile()))) {
      longJobKeepsItsSnapshot(store, "redis");
    }
  }

  @Test
  void longJob_onPostgres_keepsItsSnapshotPastTheTtl_untilItSucceeds() throws Exception {
    try (HikariDataSource dataSource = TestPostgres.pool(TestPostgres.get().newDatabase(), 4);
        TokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(dataSource)
            .createSchema(true)
            .sealingKeys(SealingKeyRing.fromFile(Tokens.keyRingFile())).build()) {
      longJobKeepsItsSnapshot(store, "postgres");
    }
  }

  private static void longJobKeepsItsSnapshot(TokenSnapshotStore store, String tag)
      throws Exception {
    Baton baton = Baton.builder().store(store).snapshotTtl(TTL).build();
    AccessToken alice = Tokens.token("alice", Instant.now().plus(Duration.ofHours(1)));
    Jobs.GATES.put(tag, new CountDownLatch(1));
    try (JobRunrHarness jobrunr = new JobRunrHarness(baton)) {
      UUID id;
      try (Scope request = baton.bindRequest(alice)) {
        id = BackgroundJob.enqueue(() -> Jobs.recordThenWait(tag)).asUUID();
      }
      TaskKey key = BatonJobFilter.keyFor(id);
      jobrunr.await(id, StateName.PROCESSING);
      Instant until = Instant.now().plus(TTL.multipliedBy(3));
      while (Instant.now().isBefore(until)) { // three TTLs: without renewals it would be gone
        assertThat(store.load(key)).as("snapshot while the job runs").isPresent();
        Thread.sleep(100);
      }
      Jobs.GATES.get(tag).countDown();

      jobrunr.await(id, StateName.SUCCEEDED);
      assertThat(Jobs.runs(tag)).containsExactly("alice");
      assertThat(store.load(key)).isEmpty();
    }
  }
}
