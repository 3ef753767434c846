package dev.baton.examples.jobrunr;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.jobrunr.server.BackgroundJobServerConfiguration;

/**
 * The worker JVM: a JobRunr background job server with Baton registered, nothing else. Args: the
 * JDBC URL and the sealing key ring file; for {@link McpReportsDemo}, also this worker's name and
 * the downstream API's base URI. Runs until stopped.
 */
public final class ReportsWorker {
  private ReportsWorker() {}

  public static void main(String[] args) throws Exception {
    Setup.quietLogs();
    HikariDataSource database = Setup.database(args[0]);
    Reports.useDatabase(database);
    String name = args.length > 2 ? args[2] : "reports-worker";
    if (args.length > 3) {
      Reports.useDownstream(java.net.URI.create(args[3]), name);
    }
    Setup.jobRunr(database, Setup.baton(database, Path.of(args[1])))
        .useBackgroundJobServer(BackgroundJobServerConfiguration
            .usingStandardBackgroundJobServerConfiguration()
            .andName(name)
            .andPollInterval(Duration.ofSeconds(5))
            .andWorkerCount(4))
        .initialize();
    new CountDownLatch(1).await();
  }
}
