package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TimeControl;
import dev.baton.tck.TokenSnapshotStoreVerification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The kit's sub-millisecond check against the bug it was written for, on the database's clock: a
 * PostgreSQL store that keeps deadlines in whole milliseconds ({@code date_trunc('milliseconds',
 * clock_timestamp())} plus the TTL truncated to milliseconds) while declaring microseconds. Its
 * deadlines are up to 1 ms early, which the kit's other checks (50 ms TTLs, 20 ms margins) cannot
 * see. Runs that one check {@value #RUNS} times and prints how often it caught the store; no run
 * may pass it (a run that could not time a single try is reported skipped, and counted apart).
 */
class MillisecondDeadlinesOnDatabaseClockTest {
  static final int RUNS = 10;
  private static final String CHECK =
      "load_subMillisecondTtl_isPresentUntilJustBeforeItsDeadline_onEveryTry";

  @Test
  void subMillisecondCheck_catchesWholeMillisecondDeadlines_onTheDatabaseClock()
      throws IOException, SQLException {
    int caught = 0;
    int inconclusive = 0;
    try {
      for (int i = 0; i < RUNS; i++) {
        Events checks = EngineTestKit.engine("junit-jupiter")
            .selectors(selectMethod(Verification.class, CHECK))
            .execute().testEvents();
        assertThat(checks.succeeded().count()).as("run %s passed the broken store", i).isZero();
        caught += (int) checks.failed().count();
        inconclusive += (int) checks.aborted().count();
      }
    } finally {
      try (Connection c = TestDatabase.get().pool().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + MillisecondDeadlineStore.TABLE);
      }
    }
    // The build stays quiet: the measured rate goes to a file (the TCK README quotes it).
    Files.writeString(Path.of("target", "millisecond-deadlines-catch-rate.txt"), "whole-millisecond"
        + " deadlines on PostgreSQL's clock (declared 1us): caught in " + caught + " of " + RUNS
        + " runs of " + CHECK + ", " + inconclusive + " inconclusive\n");
    assertThat(caught + inconclusive).isEqualTo(RUNS);
    assertThat(caught).isPositive();
  }

  /** The kit on the broken store; run only through the EngineTestKit above (nested: not by Surefire). */
  static final class Verification extends TokenSnapshotStoreVerification {
    @Override
    protected TokenSnapshotStore createStore(StoreTime time) {
      return new MillisecondDeadlineStore(TestDatabase.get().pool());
    }

    @Override
    protected TimeControl timeControl() {
      return TimeControl.realTime(Duration.ofNanos(1_000));
    }
  }

  /** Deadlines in whole milliseconds of the database's clock: the planted bug. Plain JSON values. */
  static final class MillisecondDeadlineStore implements TokenSnapshotStore {
    private static final String TABLE = "tck_millisecond_deadlines";
    private final DataSource dataSource;
    private final SnapshotCodec codec = JsonSnapshotCodec.create();

    MillisecondDeadlineStore(DataSource dataSource) {
      this.dataSource = dataSource;
      run(c -> {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (task_key text PRIMARY KEY,"
              + " snapshot bytea NOT NULL, expires_at timestamptz NOT NULL)");
        }
        return null;
      });
    }

    @Override
    public void save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
      TokenSnapshotStore.requirePositiveTtl(ttl);
      byte[] value = codec.encode(key, snapshot);
      run(c -> {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?,"
            + " date_trunc('milliseconds', clock_timestamp()) + ? * interval '1 millisecond')"
            + " ON CONFLICT (task_key) DO UPDATE SET snapshot = EXCLUDED.snapshot,"
            + " expires_at = EXCLUDED.expires_at")) {
          s.setString(1, key.encoded());
          s.setBytes(2, value);
          s.setLong(3, ttl.toMillis());
          s.executeUpdate();
        }
        return null;
      });
    }

    @Override
    public Optional<TokenSnapshot> load(TaskKey key) {
      Objects.requireNonNull(key, "key");
      byte[] value = run(c -> {
        try (PreparedStatement s = c.prepareStatement("SELECT snapshot FROM " + TABLE
            + " WHERE task_key = ? AND expires_at > clock_timestamp()")) {
          s.setString(1, key.encoded());
          try (ResultSet r = s.executeQuery()) {
            return r.next() ? r.getBytes(1) : null;
          }
        }
      });
      return value == null ? Optional.empty() : Optional.of(codec.decode(key, value));
    }

    @Override
    public boolean delete(TaskKey key) {
      Objects.requireNonNull(key, "key");
      Integer deleted = run(c -> {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + TABLE
            + " WHERE task_key = ? AND expires_at > clock_timestamp()")) {
          s.setString(1, key.encoded());
          return s.executeUpdate();
        }
      });
      return deleted != null && deleted > 0;
    }

    @Override
    public void close() {} // the pool is the run's

    private interface Sql<T> {
      T apply(Connection c) throws SQLException;
    }

    private <T> T run(Sql<T> sql) {
      try (Connection c = dataSource.getConnection()) {
        return sql.apply(c);
      } catch (SQLException e) {
        throw new TokenStoreException("statement failed: " + e.getSQLState(), e);
      }
    }
  }
}
