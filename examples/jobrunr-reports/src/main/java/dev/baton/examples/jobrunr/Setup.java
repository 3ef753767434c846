package dev.baton.examples.jobrunr;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.jdbc.JdbcTokenSnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import dev.baton.jobrunr.BatonJobFilter;

/** What the submitter and the worker set up alike: the database, Baton, JobRunr with Baton. */
final class Setup {
  private Setup() {}

  /** The demo prints only its own output: libraries log warnings at most, JobRunr nothing. */
  static void quietLogs() {
    Logger.getLogger("").setLevel(Level.WARNING);
    Logger.getLogger("org.jobrunr").setLevel(Level.OFF);
    Logger.getLogger("io.zonky").setLevel(Level.OFF);
  }

  static HikariDataSource database(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }

  static Baton baton(HikariDataSource database, Path keyRing) throws IOException {
    return Baton.builder().store(JdbcTokenSnapshotStore.builder().dataSource(database)
        .createSchema(true).sealingKeys(SealingKeyRing.fromFile(keyRing)).build()).build();
  }

  static JobRunrConfiguration jobRunr(HikariDataSource database, Baton baton) {
    return JobRunr.configure()
        .useStorageProvider(new PostgresStorageProvider(database))
        .withJobFilter(BatonJobFilter.of(baton));
  }
}
