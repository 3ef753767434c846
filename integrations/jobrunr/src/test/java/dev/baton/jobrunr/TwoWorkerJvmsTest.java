package dev.baton.jobrunr;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two worker JVMs and a submitter (this JVM) on one PostgreSQL and one sealed Redis: 1,000 jobs
 * from 20 callers and anonymous ones, interleaved; one worker is killed with SIGKILL mid-run and
 * JobRunr re-runs its orphaned jobs on the other. Every job ends as its own caller or fails closed.
 */
class TwoWorkerJvmsTest {
  private static final int JOBS = 1_000;
  private static final int CALLERS = 20;

  @Test
  @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
  void thousandJobs_twoWorkersOneKilled_everyJobRunsAsItsCallerOrFailsClosed() throws Exception {
    String jdbcUrl = TestPostgres.get().newDatabase();
    List<Process> workers = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.startDefault();
        HikariDataSource dataSource = TestPostgres.pool(jdbcUrl, 4)) {
      sql(dataSource, "CREATE TABLE runs (tag text, expected text, seen text, worker text)");
      sql(dataSource, "CREATE TABLE starts (tag text, expected text, seen text, worker text)");
      sql(dataSource, "CREATE TABLE bound_after_job (thread text)");
      URI storeUri = URI.create(redis.uri() + "?sealingKeys=file:" + Tokens.keyRingFile());
      TokenSnapshotStore store = TokenSnapshotStores.open(storeUri);
      Baton baton = Baton.builder().store(store).build();
      StorageProvider storage = new PostgresStorageProvider(dataSource);
      JobScheduler scheduler = JobRunr.configure().useStorageProvider(storage)
          .withJobFilter(BatonJobFilter.of(baton)).initialize().getJobScheduler();
      try {
        workers.add(startWorker(jdbcUrl, storeUri, "worker-a"));
        workers.add(startWorker(jdbcUrl, storeUri, "worker-b"));

        List<AccessToken> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
          callers.add(Tokens.token("caller-" + c, Instant.now().plus(Duration.ofHours(1))));
        }
        Map<UUID, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < JOBS; i++) {
          int c = i % (CALLERS + 1);
          AccessToken caller = c < CALLERS ? callers.get(c) : null;
          String subject = caller == null ? Jobs.NONE : Jobs.subject(caller);
          String tag = "job-" + i;
          try (Scope request = baton.bindRequest(caller)) {
            expected.put(scheduler.enqueue(() -> ReportJobs.report(subject, tag)).asUUID(), tag);
          }
        }

        awaitCount(dataSource, "SELECT count(*) FROM runs", 150);
        // Kill while worker-a is inside jobs: started there, not finished.
        awaitCount(dataSource, "SELECT count(*) FROM starts s WHERE worker = 'worker-a'"
            + " AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.tag = s.tag)", 2);
        workers.get(0).destroyForcibly().waitFor();
        awaitCount(dataSource, "SELECT count(*) FROM jobrunr_jobs"
            + " WHERE state IN ('SUCCEEDED', 'FAILED')", JOBS);

        java.util.Set<String> completed = tags(dataSource, "SELECT DISTINCT tag FROM runs");
        int succeeded = 0;
        int failedClosed = 0;
        for (Map.Entry<UUID, String> entry : expected.entrySet()) {
          UUID id = entry.getKey();
          Job job = storage.getJobById(id);
          if (job.getState() == StateName.SUCCEEDED) {
            assertThat(completed).as("body of succeeded job %s", id).contains(entry.getValue());
            succeeded++;
          } else {
            // Fails closed: never ran as anyone else. (A worker killed after the body returned,
            // before JobRunr recorded the success, leaves a retry that finds the snapshot deleted
            // and fails closed: the body is not run a second time.)
            assertThat(job.<FailedState>getJobState().getExceptionType()).as("job %s", id)
                .isEqualTo(CallerNotRestoredException.class.getName());
            failedClosed++;
          }
        }
        long wrong = count(dataSource, "SELECT count(*) FROM runs WHERE seen <> expected")
            + count(dataSource, "SELECT count(*) FROM starts WHERE seen <> expected");
        long rerun = count(dataSource, "SELECT count(*) FROM (SELECT tag FROM starts"
            + " GROUP BY tag HAVING count(*) > 1) t");
        report(dataSource, succeeded, failedClosed, wrong, rerun);

        assertThat(wrong).as("wrong identities").isZero();
        assertThat(succeeded + failedClosed).isEqualTo(JOBS);
        assertThat(rerun).as("jobs the killed worker left, run again by the other").isPositive();
        assertThat(count(dataSource, "SELECT count(*) FROM bound_after_job")).isZero();
        assertThat(Resp.call(redis.port(), "DBSIZE")).as("snapshots left in Redis").isEqualTo(0L);
      } finally {
        JobRunr.destroy();
        store.close();
      }
    } finally {
      for (Process worker : workers) {
        worker.destroyForcibly().waitFor();
      }
    }
  }

  private static Process startWorker(String jdbcUrl, URI storeUri, String name)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File log = Path.of("target", name + ".log").toAbsolutePath().toFile();
    ProcessBuilder builder = new ProcessBuilder(List.of(java,
        "-Djava.util.logging.config.file="
            + System.getProperty("java.util.logging.config.file", ""),
        "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), jdbcUrl,
        storeUri.toString(), name));
    builder.redirectErrorStream(true).redirectOutput(log);
    return builder.start();
  }

  private static void report(HikariDataSource dataSource, int succeeded, int failedClosed,
      long wrong, long rerun) throws SQLException, java.io.IOException {
    StringBuilder table = new StringBuilder("caller        runs  as-caller\n");
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT expected, count(*), count(*) FILTER (WHERE seen ="
            + " expected) FROM runs GROUP BY expected ORDER BY expected")) {
      while (rs.next()) {
        table.append(String.format("%-12s %5d %10d%n", rs.getString(1), rs.getLong(2),
            rs.getLong(3)));
      }
    }
    table.append("succeeded: ").append(succeeded).append(", failed closed: ").append(failedClosed)
        .append(", run again after the kill: ").append(rerun)
        .append("\nwrong identities: ").append(wrong).append('\n');
    java.nio.file.Files.writeString(Path.of("target", "two-worker-jvms-report.txt"), table);
  }

  private static void awaitCount(HikariDataSource dataSource, String query, long atLeast)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    while (count(dataSource, query) < atLeast) {
      assertThat(Instant.now()).as("waiting for %s >= %d", query, atLeast).isBefore(deadline);
      Thread.sleep(100);
    }
  }

  private static java.util.Set<String> tags(HikariDataSource dataSource, String query)
      throws SQLException {
    java.util.Set<String> tags = new java.util.HashSet<>();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        tags.add(rs.getString(1));
      }
    }
    return tags;
  }

  private static long count(HikariDataSource dataSource, String query) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void sql(HikariDataSource dataSource, String statement) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
