package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Adversarial: durations too long to convert ({@code PT100000000000000H} is valid ISO-8601, and
 * more nanoseconds than a long holds) saturate, as Baton's own leeway and TTL do; they never throw
 * {@link ArithmeticException} from the URI parser or from a store that has already connected.
 */
class JdbcExtremeDurationTest {
  private static final String HUGE = "PT100000000000000H";
  private final TestDatabase db = TestDatabase.get();

  @Test
  void open_hugePurgeIntervalAndConnectionTimeout_saturate() {
    URI uri = URI.create(db.jdbcUrl() + "&sealing=none&table=baton_extreme&purgeInterval=" + HUGE
        + "&connectionTimeout=" + HUGE + "&queryTimeout=" + HUGE);
    try (TokenSnapshotStore store = TokenSnapshotStores.open(uri)) {
      TaskKey key = Samples.key("extreme");
      store.save(key, Samples.snapshotOf("extreme"), Duration.ofMinutes(1));
      assertThat(store.load(key)).isPresent();
    }
  }

  @Test
  void builder_foreverPurgeInterval_saturates() {
    try (TokenSnapshotStore store = JdbcTokenSnapshotStore.builder()
        .dataSource(db.pool()).withoutSealing().table("baton_forever")
        .purgeInterval(java.time.temporal.ChronoUnit.FOREVER.getDuration())
        .queryTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration()).build()) {
      TaskKey key = Samples.key("forever");
      store.save(key, Samples.snapshotOf("forever"), Duration.ofMinutes(1));
      assertThat(store.load(key)).isPresent();
    }
  }

  /**
   * The longest TTLs are saturated at {@link JdbcTokenSnapshotStore#MAX_TTL}, 200,000 years: the
   * row's deadline is that far from the database's clock, by save and by touch (issue 22).
   */
  @Test
  void save_andTouch_withTheLongestTtls_keepTheRowForMaxTtl() throws Exception {
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder()
        .dataSource(db.pool()).withoutSealing().table("baton_longest").build()) {
      TaskKey saved = Samples.key("longest-save");
      store.save(saved, Samples.snapshotOf("longest"), Duration.ofMillis(Long.MAX_VALUE));
      TaskKey touched = Samples.key("longest-touch");
      store.save(touched, Samples.snapshotOf("longest"), Duration.ofMinutes(1));
      assertThat(store.touch(touched, java.time.temporal.ChronoUnit.FOREVER.getDuration()))
          .isTrue();
      for (TaskKey key : java.util.List.of(saved, touched)) {
        assertThat(store.load(key)).isPresent();
        assertThat(yearsLeft(key)).isBetween(199_999.0, 200_000.0);
      }
    }
  }

  /** Years between the database's clock and the row's deadline, by PostgreSQL's own reckoning. */
  private double yearsLeft(TaskKey key) throws java.sql.SQLException {
    try (java.sql.Connection c = db.pool().getConnection();
        java.sql.PreparedStatement s = c.prepareStatement("SELECT EXTRACT(EPOCH FROM expires_at"
            + " - clock_timestamp()) / (365.2425 * 86400) FROM baton_longest WHERE task_key = ?")) {
      s.setString(1, key.encoded());
      try (java.sql.ResultSet r = s.executeQuery()) {
        assertThat(r.next()).as("row of %s", key).isTrue();
        return r.getDouble(1);
      }
    }
  }
}
