package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.TaskKey;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The builder's rules, the schema, and what only a database store has: row-level behaviour. */
class JdbcTokenSnapshotStoreTest {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void build_withoutSealingKeysOrOptOut_isRefusedSayingHowToChoose() {
    assertThatThrownBy(() -> JdbcTokenSnapshotStore.builder().dataSource(db.pool()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sealingKeys=env:NAME|file:PATH")
        .hasMessageContaining("sealing=none")
        .hasMessageContaining("withoutSealing()");
  }

  @Test
  void build_withSealingKeysAndOptOut_isRefused() {
    assertThatThrownBy(() -> JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .sealingKeys(Samples.KEYS).withoutSealing().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("choose one");
  }

  @Test
  void build_withoutDataSource_isRefused() {
    assertThatThrownBy(() -> JdbcTokenSnapshotStore.builder().withoutSealing().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataSource");
  }

  @Test
  void build_unsealed_logsOneWarningAndSaysSoInToString() {
    List<LogRecord> records = new ArrayList<>();
    Logger logger = Logger.getLogger(JdbcTokenSnapshotStore.class.getName());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .withoutSealing().build()) {
      assertThat(store.isSealed()).isFalse();
      assertThat(store).hasToString(
          "JdbcTokenSnapshotStore[table=baton_snapshots, NOT sealed (sealing=none), closed=false]");
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getMessage()).contains("NOT sealed");
    });
  }

  @Test
  void build_withSealingCodec_isSealed() {
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .codec(SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), Samples.KEYS)).build()) {
      assertThat(store.isSealed()).isTrue();
      assertThat(store.toString()).contains(", sealed,");
    }
  }

  @Test
  void save_sealedByDefault_storesNoTokenInTheTable() throws SQLException {
    TaskKey key = Samples.key("at-rest");
    var snapshot = Samples.snapshotOf("alice");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(key, snapshot, Duration.ofMinutes(5));
      byte[] stored = rawValue("baton_snapshots", key);
      assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain(snapshot.accessToken().orElseThrow().token())
          .doesNotContain("client-alice");
      assertThat(store.load(key)).contains(snapshot);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"snapshots\"; DROP TABLE baton_snapshots; --", "Snapshots", "1table",
      "a.b.c", "", "a b", "tab-le", "schema.", ".table",
      "a_table_name_that_is_longer_than_forty_eight_chars_x"})
  void table_thatIsNotAPlainLowerCaseName_isRejected(String table) {
    assertThatThrownBy(() -> JdbcTokenSnapshotStore.builder().table(table))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower case letters, digits and '_'");
  }

  @Test
  void build_inAnotherSchema_createsTheTableThere() throws SQLException {
    db.execute("CREATE SCHEMA IF NOT EXISTS baton_other");
    TaskKey key = Samples.key("schema");
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .table("baton_other.tokens").sealingKeys(Samples.KEYS).build()) {
      store.save(key, Samples.snapshotOf("bob"), Duration.ofMinutes(1));
      assertThat(rawValue("baton_other.tokens", key)).isNotEmpty();
      assertThat(store.table()).isEqualTo("baton_other.tokens");
    }
  }

  @Test
  void build_withoutCreateSchema_onMissingTable_failsNamingTheTable() {
    assertThatThrownBy(() -> JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .table("baton_missing").createSchema(false).sealingKeys(Samples.KEYS).build())
        .isInstanceOf(TokenStoreException.class)
        .hasMessageContaining("table does not exist")
        .hasMessageContaining("42P01");
  }

  @Test
  void schema_isTheDdlThatBuildRuns_andUsableByMigrations() {
    for (String ddl : JdbcTokenSnapshotStore.schema("baton_migrated")) {
      db.execute(ddl);
    }
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .table("baton_migrated").createSchema(false).sealingKeys(Samples.KEYS).build()) {
      TaskKey key = Samples.key("migrated");
      var snapshot = Samples.snapshotOf("carol");
      store.save(key, snapshot, Duration.ofMinutes(1));
      assertThat(store.load(key)).contains(snapshot);
    }
  }

  @Test
  void save_ttlWithSubMicrosecondPart_isRoundedUpToTheMicrosecondNeverMore() throws SQLException {
    TaskKey key = Samples.key("micros");
    Duration ttl = Duration.ofHours(30).plusNanos(123_456_001); // 30 h + 123456.001 us
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(key, Samples.snapshotOf("dave"), ttl);
      // Measured on the database clock after the save: what remains can only be less than the
      // TTL rounded up to the microsecond (30 h + 123457 us), never more.
      long remainingMicros = queryLong("SELECT (extract(epoch FROM expires_at - clock_timestamp())"
          + " * 1000000)::bigint FROM baton_snapshots WHERE task_key = ?", key.encoded());
      long ceiling = 30L * 3600 * 1_000_000 + 123_457;
      assertThat(remainingMicros).isLessThanOrEqualTo(ceiling).isGreaterThan(ceiling - 60_000_000);
    }
  }

  @Test
  void save_ttlBeyondTenThousandYears_isKeptAsMaxTtl() {
    TaskKey key = Samples.key("eternal");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      var snapshot = Samples.snapshotOf("erin");
      store.save(key, snapshot, Duration.ofSeconds(Long.MAX_VALUE));
      assertThat(store.load(key)).contains(snapshot);
      assertThat(store.touch(key, Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
    }
  }

  @Test
  void purgeExpired_deletesExpiredRowsOnly() throws SQLException {
    TaskKey expired = Samples.key("expired");
    TaskKey live = Samples.key("live");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(expired, Samples.snapshotOf("fay"), Duration.ofMinutes(1));
      store.save(live, Samples.snapshotOf("gus"), Duration.ofMinutes(1));
      expireNow(expired);
      assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(1);
      assertThat(rowCount(expired)).isZero();
      assertThat(rowCount(live)).isOne();
    }
  }

  @Test
  void save_whenPurgeIsDue_deletesExpiredRows() throws SQLException {
    TaskKey expired = Samples.key("expired");
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .sealingKeys(Samples.KEYS).purgeInterval(Duration.ZERO).build()) {
      store.save(expired, Samples.snapshotOf("hal"), Duration.ofMinutes(1));
      expireNow(expired);
      assertThat(rowCount(expired)).isOne();
      store.save(Samples.key("other"), Samples.snapshotOf("ida"), Duration.ofMinutes(1));
      assertThat(rowCount(expired)).isZero();
    }
  }

  @Test
  void expiredRow_isInvisibleToLoadTouchTakeAndDelete() throws SQLException {
    TaskKey key = Samples.key("stale");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(key, Samples.snapshotOf("jo"), Duration.ofMinutes(1));
      expireNow(key);
      assertThat(store.load(key)).isEmpty();
      assertThat(store.touch(key, Duration.ofMinutes(1))).isFalse();
      assertThat(store.take(key)).isEmpty();
      assertThat(store.delete(key)).isFalse();
    }
  }

  @Test
  void delete_ofExpiredRow_removesItAnyway() throws SQLException {
    TaskKey key = Samples.key("stale-delete");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(key, Samples.snapshotOf("kim"), Duration.ofMinutes(1));
      expireNow(key);
      assertThat(store.delete(key)).isFalse();
      assertThat(rowCount(key)).isZero();
    }
  }

  @Test
  void close_leavesASuppliedDataSourceOpen() throws SQLException {
    JdbcTokenSnapshotStore store = Samples.sealedStore();
    store.close();
    assertThatThrownBy(() -> store.load(Samples.key("closed")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.toString()).endsWith("closed=true]");
    try (Connection c = db.pool().getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void expireNow(TaskKey key) throws SQLException {
    try (Connection c = db.pool().getConnection(); PreparedStatement s = c.prepareStatement(
        "UPDATE baton_snapshots SET expires_at = clock_timestamp() - interval '1 microsecond'"
            + " WHERE task_key = ?")) {
      s.setString(1, key.encoded());
      assertThat(s.executeUpdate()).isOne();
    }
  }

  private long rowCount(TaskKey key) throws SQLException {
    return queryLong("SELECT count(*) FROM baton_snapshots WHERE task_key = ?", key.encoded());
  }

  private long queryLong(String sql, String parameter) throws SQLException {
    try (Connection c = db.pool().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rows = s.executeQuery()) {
        assertThat(rows.next()).isTrue();
        return rows.getLong(1);
      }
    }
  }

  private byte[] rawValue(String table, TaskKey key) throws SQLException {
    try (Connection c = db.pool().getConnection(); PreparedStatement s = c.prepareStatement(
        "SELECT snapshot FROM " + table + " WHERE task_key = ?")) {
      s.setString(1, key.encoded());
      try (ResultSet rows = s.executeQuery()) {
        assertThat(rows.next()).as("row for " + key).isTrue();
        return rows.getBytes(1);
      }
    }
  }
}
