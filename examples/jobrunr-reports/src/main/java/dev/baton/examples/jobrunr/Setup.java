package dev.baton.examples.jobrunr;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.baton.Baton;
import dev.baton.codec.SealingKeyRing;
import dev.baton.jobrunr.BatonJobFilter;
import dev.baton.store.jdbc.JdbcTokenSnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/** What the submitter and the worker set up alike: the database, Baton, JobRunr with Baton. */
final class Setup {
  private Setup() {}

  /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final java.util.List<Logger> CONFIGURED = new java.util.ArrayList<>();

  /**
   * The demo prints only its own output: libraries log warnings at most; JobRunr nothing (it warns
   * about every filter call over 10 ms, and a capture is a database write).
   */
  static synchronized void quietLogs() {
    quiet("", Level.WARNING);
    quiet("org.jobrunr", Level.OFF);
    quiet("io.zonky", Level.OFF);
  }

  private static void quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    CONFIGURED.add(logger);
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
