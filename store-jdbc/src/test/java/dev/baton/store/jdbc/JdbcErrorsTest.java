package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenStoreException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Database errors quote row values ("Failing row contains (...)"): the store's exceptions carry the
 * SQLState and its meaning, never that text, in the message or any cause.
 */
class JdbcErrorsTest {
  private final TestDatabase db = TestDatabase.get();

  /** A table whose check constraint refuses every value. */
  private void createRefusingTable() {
    db.execute("DROP TABLE IF EXISTS baton_refusing");
    for (String ddl : JdbcTokenSnapshotStore.schema("baton_refusing")) {
      db.execute(ddl);
    }
    db.execute("ALTER TABLE baton_refusing ADD CONSTRAINT tiny CHECK (length(snapshot) < 2)");
  }

  @Test
  void driverError_forARefusedRow_quotesTheValueHexEncoded() throws SQLException {
    // The premise of the next test: unredacted, the message holds the value's first bytes
    // (PostgreSQL shortens the row it quotes; a token near the start of a value is quoted).
    createRefusingTable();
    byte[] value =
        ("bearer-premise-" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    try (Connection c = db.pool().getConnection(); PreparedStatement s = c.prepareStatement(
        "INSERT INTO baton_refusing VALUES ('k', ?, clock_timestamp())")) {
      s.setBytes(1, value);
      Throwable thrown = catchThrowable(s::executeUpdate);
      assertThat(thrown).isInstanceOf(SQLException.class)
          .hasMessageContaining("Failing row contains")
          .hasMessageContaining(HexFormat.of().formatHex(value, 0, 24));
    }
  }

  @Test
  void save_rejectedByAConstraint_throwsWithoutTheRowInMessageOrCauses() {
    // PostgreSQL's error quotes the whole failing row ("Failing row contains (...)"), the
    // plain-JSON token included, hex-encoded as bytea is printed.
    createRefusingTable();
    TaskKey key = Samples.key("refused");
    TokenSnapshot snapshot = Samples.snapshotOf("mallory");
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .table("baton_refusing").createSchema(false).withoutSealing().build()) {
      Throwable thrown = catchThrowable(() -> store.save(key, snapshot, Duration.ofMinutes(1)));
      assertThat(thrown).isInstanceOf(TokenStoreException.class)
          .hasMessageStartingWith("PostgreSQL save for task " + key + " failed:")
          .hasMessageContaining("SQLState 23514");
      Samples.assertNeverContains(thrown, snapshot.accessToken().orElseThrow().token());
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(t.getMessage()).doesNotContain("Failing row").doesNotContain("\\x");
      }
      assertThat(thrown.getCause()).hasMessageContaining("database message withheld");
    }
  }
}
