package dev.baton.jobrunr;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CountDownLatch;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.server.threadpool.PlatformThreadPoolJobRunrExecutor;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * A worker JVM: a JobRunr background job server on the shared PostgreSQL, Baton on the shared
 * sealed Redis. Args: JDBC URL, store URI, worker name. Runs until killed.
 */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    String jdbcUrl = args[0];
    URI storeUri = URI.create(args[1]);
    String name = args[2];
    HikariDataSource dataSource = TestPostgres.pool(jdbcUrl, 12);
    ReportJobs.results = dataSource;
    ReportJobs.worker = name;
    TokenSnapshotStore store = TokenSnapshotStores.open(storeUri);
    Baton baton = Baton.builder().store(store).build();
    JobRunr.configure()
        .useStorageProvider(new PostgresStorageProvider(dataSource))
        .withJobFilter(BatonJobFilter.of(baton))
        .useBackgroundJobServer(BackgroundJobServerConfiguration
            .usingStandardBackgroundJobServerConfiguration()
            .andName(name)
            .andPollInterval(JobRunrHarness.POLL)
            .andBackgroundJobServerWorkerPolicy(new DefaultBackgroundJobServerWorkerPolicy(4,
                threads -> new PlatformThreadPoolJobRunrExecutor(threads, threads, name) {
                  @Override
                  protected void afterExecute(Runnable r, Throwable t) {
                    super.afterExecute(r, t);
                    if (Baton.isBound()) {
                      recordBound(dataSource, Thread.currentThread().getName());
                    }
                  }
                })))
        .initialize();
    System.out.println("worker " + name + " ready");
    new CountDownLatch(1).await(); // until killed
  }

  private static void recordBound(javax.sql.DataSource dataSource, String thread) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("INSERT INTO bound_after_job VALUES (?)")) {
      s.setString(1, thread);
      s.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

}
