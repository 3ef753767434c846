package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The creation side alone, on JobRunr's in-memory storage with no server: what a job carries. */
class JobCreationTest {
  private static final AccessToken ALICE =
      Tokens.token("alice", Instant.now().plus(Duration.ofMinutes(30)));

  private final InMemoryStorageProvider storage = storage();
  private final MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.create();
  private final Baton baton = Baton.builder().store(store).build();

  private static InMemoryStorageProvider storage() {
    InMemoryStorageProvider storage = new InMemoryStorageProvider();
    storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
    return storage;
  }

  private JobScheduler scheduler(BatonJobFilter filter) {
    return new JobScheduler(storage, List.of(filter));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void enqueue_onBoundThread_storesTheCallerUnderTheJobsKey_andOnlyTheKeyInTheJob() {
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = scheduler(BatonJobFilter.of(baton)).enqueue(() -> Jobs.record("x")).asUUID();
    }
    Job job = storage.getJobById(id);
    TaskKey key = new TaskKey(BatonJobFilter.JOB_SCOPE, id.toString());

    assertThat(job.getMetadata()).containsEntry(BatonJobFilter.METADATA_KEY, key.encoded());
    assertThat(store.load(key)).map(s -> s.accessToken().orElseThrow()).contains(ALICE);
  }

  @Test
  void schedule_beyondTheSnapshotTtl_keepsTheSnapshotUntilTheStart() {
    Baton shortTtl = Baton.builder().store(store).snapshotTtl(Duration.ofSeconds(1)).build();
    UUID id;
    try (Scope request = shortTtl.bindRequest(ALICE)) {
      id = scheduler(BatonJobFilter.of(shortTtl)).schedule(Instant.now().plusSeconds(600),
          () -> Jobs.record("x")).asUUID();
    }
    // Retained past the one-second TTL, to the start plus the TTL (well inside the token's life).
    assertThat(store.load(BatonJobFilter.keyFor(id))).isPresent();
  }

  @Test
  void schedule_afterExpiry_underRunWithoutCaller_createsAJobWithoutKeyOrSnapshot() {
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = scheduler(BatonJobFilter.of(baton, ScheduleAfterExpiryPolicy.RUN_WITHOUT_CALLER))
          .schedule(Instant.now().plus(Duration.ofHours(2)), () -> Jobs.record("x")).asUUID();
    }

    assertThat(storage.getJobById(id).getMetadata())
        .doesNotContainKey(BatonJobFilter.METADATA_KEY);
    assertThat(store.load(BatonJobFilter.keyFor(id))).isEmpty();
  }

  @Test
  void enqueue_whenTheStoreFails_isRefusedAndNothingIsStored() {
    Baton failing = Baton.builder().store(new FailingStore()).build();
    try (Scope request = failing.bindRequest(ALICE)) {
      assertThatThrownBy(() -> scheduler(BatonJobFilter.of(failing))
          .enqueue(() -> Jobs.record("x")))
          .isInstanceOf(JobCreationRefusedError.class)
          .hasMessageContaining("could not capture its caller")
          .hasMessageNotContaining(ALICE.token())
          .hasCauseInstanceOf(TokenStoreException.class);
    }
    assertThat(storage.countJobs(StateName.ENQUEUED)).isZero();
  }

  @Test
  void enqueue_onAThreadWhoseCallerExpired_isRefusedNotRunAsNobody() {
    TestClock clock = new TestClock();
    Baton clocked = Baton.builder().store(store).clock(clock).build();
    AccessToken shortLived = Tokens.token("alice", clock.instant().plusSeconds(10));
    try (Scope request = clocked.bindRequest(shortLived)) {
      clock.advance(Duration.ofMinutes(1)); // expires between authentication and the enqueue
      assertThatThrownBy(() -> scheduler(BatonJobFilter.of(clocked))
          .enqueue(() -> Jobs.record("x")))
          .isInstanceOf(JobCreationRefusedError.class)
          .hasMessageContaining("has expired")
          .hasMessageNotContaining(shortLived.token())
          .cause().isInstanceOfSatisfying(dev.baton.RestoreFailedException.class,
              e -> assertThat(e.reason())
                  .isEqualTo(dev.baton.RestoreFailedException.Reason.CALLER_EXPIRED));
    }
    assertThat(storage.countJobs(StateName.ENQUEUED)).isZero();
  }

  @Test
  void enqueue_onAThreadWhoseCallerExpired_underRunUnauthenticated_runsAsNobodyByKey() {
    TestClock clock = new TestClock();
    Baton clocked = Baton.builder().store(store).clock(clock)
        .restoreFailurePolicy(dev.baton.RestoreFailurePolicy.RUN_UNAUTHENTICATED).build();
    AccessToken shortLived = Tokens.token("alice", clock.instant().plusSeconds(10));
    UUID id;
    try (Scope request = clocked.bindRequest(shortLived)) {
      clock.advance(Duration.ofMinutes(1));
      id = scheduler(BatonJobFilter.of(clocked)).enqueue(() -> Jobs.record("x")).asUUID();
    }
    // Stored as an explicit anonymous snapshot under the job's key: it runs with no caller.
    assertThat(store.load(BatonJobFilter.keyFor(id))).hasValueSatisfying(
        snapshot -> assertThat(snapshot.isAnonymous()).isTrue());
  }

  @Test
  void recurringJob_onBoundThread_capturesNothing() {
    try (Scope request = baton.bindRequest(ALICE)) {
      scheduler(BatonJobFilter.of(baton)).scheduleRecurrently("nightly", Duration.ofHours(1),
          () -> Jobs.record("x"));
    }
    assertThat(store.estimatedSize()).isZero();
  }

  @Test
  void jobWithACaller_onAServerWithoutBatonJobFilter_failsWithoutRunning() throws Exception {
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = scheduler(BatonJobFilter.of(baton)).enqueue(() -> Jobs.record("unconfigured"))
          .asUUID();
    }
    JobRunr.configure().useStorageProvider(storage)
        .useBackgroundJobServer(BackgroundJobServerConfiguration
            .usingStandardBackgroundJobServerConfiguration()
            .andPollInterval(Duration.ofMillis(200)))
        .initialize();
    try {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      Optional<FailedState> failure;
      while ((failure = storage.getJobById(id).getLastJobStateOfType(FailedState.class))
          .isEmpty()) {
        assertThat(Instant.now()).as("job never failed").isBefore(deadline);
        Thread.sleep(50);
      }
      assertThat(failure.get().getExceptionMessage()).contains("has no BatonJobFilter");
      assertThat(Jobs.runs("unconfigured")).isEmpty();
    } finally {
      JobRunr.destroy();
    }
  }

  @Test
  void of_batonWithoutStore_isRefused() {
    assertThatThrownBy(() -> BatonJobFilter.of(Baton.builder().build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
  }

  /** A store whose backend is down. */
  private static final class FailingStore implements TokenSnapshotStore {
    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      throw new TokenStoreException("backend down for task " + key);
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      throw new TokenStoreException("backend down for task " + key);
    }

    @Override
    public boolean delete(TaskKey key) {
      throw new TokenStoreException("backend down for task " + key);
    }

    @Override
    public void close() {}
  }
}
