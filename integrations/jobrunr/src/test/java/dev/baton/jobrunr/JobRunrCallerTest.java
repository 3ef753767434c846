package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.jobrunr.scheduling.JobBuilder.aJob;

import com.sun.net.httpserver.HttpServer;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.redis.harness.RedisServerProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobId;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs on JobRunr (PostgreSQL storage) with the Baton store on sealed Redis: each job runs as its
 * creator, fails closed when it cannot, and no token text reaches JobRunr's tables, logs or API.
 */
class JobRunrCallerTest {
  private static final Instant IN_AN_HOUR = Instant.now().plus(Duration.ofHours(1));
  private static final AccessToken ALICE = Tokens.token("alice", IN_AN_HOUR);
  private static final AccessToken BOB = Tokens.token("bob", IN_AN_HOUR);

  private static RedisServerProcess redis;
  private static TokenSnapshotStore store;
  private static Baton baton;
  private static JobRunrHarness jobrunr;
  /** A user filter whose onProcessing throws: JobRunr logs it and runs the job anyway. */
  private static final JobServerFilter THROWING_ON_PROCESSING = new JobServerFilter() {
    @Override
    public void onProcessing(Job job) {
      if (job.getJobName().contains("throwing-filter")) {
        throw new IllegalStateException("a filter hook cannot stop a job");
      }
    }
  };

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.startDefault();
    store = TokenSnapshotStores.open(
        URI.create(redis.uri() + "?sealingKeys=file:" + Tokens.keyRingFile()));
    baton = Baton.builder().store(store).build();
    jobrunr = new JobRunrHarness(baton, THROWING_ON_PROCESSING);
  }

  @AfterAll
  static void stop() {
    if (jobrunr != null) {
      jobrunr.close();
    }
    if (store != null) {
      store.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static TaskKey keyOf(UUID jobId) {
    return BatonJobFilter.keyFor(jobId);
  }

  @Test
  void enqueue_fromTwoInterleavedCallers_eachJobRunsAsItsCreator() throws Exception {
    List<UUID> ids = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      AccessToken caller = i % 2 == 0 ? ALICE : BOB;
      String tag = "interleaved-" + i;
      try (Scope request = baton.bindRequest(caller)) {
        ids.add(BackgroundJob.enqueue(() -> Jobs.record(tag)).asUUID());
      }
      expected.add(Jobs.subject(caller));
    }
    for (int i = 0; i < ids.size(); i++) {
      jobrunr.await(ids.get(i), StateName.SUCCEEDED);
      assertThat(Jobs.runs("interleaved-" + i)).containsExactly(expected.get(i));
    }
    assertThat(jobrunr.boundAfterJob).isEmpty();
  }

  @Test
  void schedulerAndJobBuilder_fromBoundThread_runAsCaller() throws Exception {
    UUID scheduled;
    UUID built;
    try (Scope request = baton.bindRequest(BOB)) {
      scheduled = jobrunr.scheduler.schedule(Instant.now().plusSeconds(1),
          () -> Jobs.record("scheduled")).asUUID();
      built = jobrunr.scheduler.create(aJob().withName("built")
          .withDetails(() -> Jobs.record("built"))).asUUID();
    }
    jobrunr.await(scheduled, StateName.SUCCEEDED);
    jobrunr.await(built, StateName.SUCCEEDED);
    assertThat(Jobs.runs("scheduled")).containsExactly("bob");
    assertThat(Jobs.runs("built")).containsExactly("bob");
  }

  @Test
  void enqueue_fromUnboundThread_runsWithNoCaller() throws Exception {
    UUID id = BackgroundJob.enqueue(() -> Jobs.record("anonymous")).asUUID();
    Job done = jobrunr.await(id, StateName.SUCCEEDED);
    assertThat(Jobs.runs("anonymous")).containsExactly(Jobs.NONE);
    assertThat(done.getMetadata()).doesNotContainKey(BatonJobFilter.METADATA_KEY);
  }

  @Test
  void succeededJob_snapshotIsDeleted_andMetadataHoldsOnlyTheKey() throws Exception {
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = BackgroundJob.enqueue(() -> Jobs.record("cleanup")).asUUID();
    }
    assertThat(jobrunr.job(id).getMetadata())
        .containsEntry(BatonJobFilter.METADATA_KEY, keyOf(id).encoded());
    jobrunr.await(id, StateName.SUCCEEDED);
    assertThat(store.load(keyOf(id))).isEmpty();
  }

  @Test
  void missingSnapshot_bodyNeverRuns_jobFailsClosedWithoutRetry() throws Exception {
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = jobrunr.scheduler.schedule(Instant.now().plusSeconds(2),
          () -> Jobs.record("missing")).asUUID();
    }
    assertThat(store.delete(keyOf(id))).isTrue();

    Job failed = jobrunr.await(id, StateName.FAILED);

    assertThat(Jobs.runs("missing")).isEmpty();
    FailedState reason = failed.getJobState();
    assertThat(reason.getExceptionType()).isEqualTo(CallerNotRestoredException.class.getName());
    assertThat(reason.getExceptionMessage()).contains("Baton did not run job " + id)
        .contains("no token snapshot for task");
    assertThat(reason.mustNotRetry()).isTrue();
    assertThat(failed.getJobStates()).filteredOn(s -> s.getName() == StateName.SCHEDULED)
        .hasSize(1); // its original schedule only: no retry
  }

  @Test
  void throwingFilterHook_doesNotStopTheBody_butBatonsPerformerDoes() throws Exception {
    UUID hooked = jobrunr.scheduler.create(aJob().withName("throwing-filter")
        .withDetails(() -> Jobs.record("throwing-filter"))).asUUID();
    UUID stopped;
    try (Scope request = baton.bindRequest(ALICE)) {
      stopped = jobrunr.scheduler.schedule(Instant.now().plusSeconds(2),
          () -> Jobs.record("stopped")).asUUID();
    }
    store.delete(keyOf(stopped));

    jobrunr.await(hooked, StateName.SUCCEEDED);
    jobrunr.await(stopped, StateName.FAILED);

    assertThat(Jobs.runs("throwing-filter")).hasSize(1); // the trap: a throwing hook is ignored
    assertThat(Jobs.runs("stopped")).isEmpty();
  }

  @Test
  void metadataNamingAnotherJobsKey_failsClosed() throws Exception {
    UUID victim;
    UUID forged;
    try (Scope request = baton.bindRequest(ALICE)) {
      victim = jobrunr.scheduler.schedule(Instant.now().plusSeconds(60),
          () -> Jobs.record("victim")).asUUID();
    }
    forged = jobrunr.scheduler.schedule(Instant.now().plusSeconds(2),
        () -> Jobs.record("forged")).asUUID();
    Job job = jobrunr.job(forged);
    job.getMetadata().put(BatonJobFilter.METADATA_KEY, keyOf(victim).encoded());
    jobrunr.storage.save(job);

    Job failed = jobrunr.await(forged, StateName.FAILED);

    assertThat(Jobs.runs("forged")).isEmpty();
    assertThat(failed.<FailedState>getJobState().getExceptionMessage())
        .contains("does not name this job's snapshot");
    jobrunr.scheduler.delete(victim);
    assertThat(store.load(keyOf(victim))).isEmpty(); // deleted through the API: snapshot gone
  }

  @Test
  void schedule_afterTheCallersTokenExpires_isRefusedAndNothingIsStored() {
    AccessToken shortLived = Tokens.token("carol", Instant.now().plus(Duration.ofMinutes(5)));
    long before = jobrunr.storage.countJobs(StateName.SCHEDULED);
    try (Scope request = baton.bindRequest(shortLived)) {
      assertThatThrownBy(() -> BackgroundJob.schedule(Instant.now().plus(Duration.ofHours(1)),
          () -> Jobs.record("late")))
          .isInstanceOf(JobCreationRefusedError.class)
          .hasMessageContaining("after its caller's token expires")
          .hasMessageNotContaining(shortLived.token());
    }
    assertThat(jobrunr.storage.countJobs(StateName.SCHEDULED)).isEqualTo(before);
  }

  @Test
  void recurringJob_createdOnABoundThread_runsWithNoCaller() throws Exception {
    try (Scope request = baton.bindRequest(ALICE)) {
      BackgroundJob.scheduleRecurrently("recurring-report", Duration.ofSeconds(5),
          () -> Jobs.record("recurring"));
    }
    try {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      while (Jobs.runs("recurring").isEmpty()) {
        assertThat(Instant.now()).as("recurring job never ran").isBefore(deadline);
        Thread.sleep(50);
      }
    } finally {
      BackgroundJob.deleteRecurringJob("recurring-report");
    }
    assertThat(Jobs.runs("recurring")).allMatch(Jobs.NONE::equals);
  }

  @Test
  void jobrunrTablesLogsAndDashboardApi_holdNoTokenText() throws Exception {
    UUID id;
    try (Scope request = baton.bindRequest(ALICE)) {
      id = BackgroundJob.enqueue(() -> Jobs.record("leak-scan")).asUUID();
    }
    UUID failing;
    try (Scope request = baton.bindRequest(ALICE)) {
      failing = jobrunr.scheduler.schedule(Instant.now().plusSeconds(2),
          () -> Jobs.record("leak-scan-failed")).asUUID();
    }
    store.delete(keyOf(failing));
    jobrunr.await(id, StateName.SUCCEEDED);
    jobrunr.await(failing, StateName.FAILED);

    StringBuilder everything = new StringBuilder();
    try (Connection c = jobrunr.dataSource.getConnection(); Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
          + " WHERE table_schema = 'public'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).contains("jobrunr_jobs");
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
          while (rs.next()) {
            everything.append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    assertThat(everything).contains(id.toString());
    SimpleFormatter formatter = new SimpleFormatter();
    for (LogRecord record : jobrunr.jobrunrLogs) {
      everything.append(formatter.format(record));
    }
    everything.append(dashboardApi("/api/jobs?state=SUCCEEDED&offset=0&limit=100"));
    everything.append(dashboardApi("/api/jobs?state=FAILED&offset=0&limit=100"));
    everything.append(dashboardApi("/api/jobs/" + id));
    everything.append(dashboardApi("/api/jobs/" + failing));

    for (String encoding : Tokens.encodings(ALICE)) {
      assertThat(everything.toString()).doesNotContain(encoding);
    }
  }

  /** GETs a path of JobRunr's dashboard API, served by its own handler on a loopback server. */
  private static String dashboardApi(String path) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    var handler = new JobRunrApiHandler(jobrunr.storage, new JacksonJsonMapper(), false);
    server.createContext(handler.getContextPath(), handler);
    server.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + server.getAddress().getPort() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      return response.body();
    } finally {
      server.stop(0);
    }
  }
}
