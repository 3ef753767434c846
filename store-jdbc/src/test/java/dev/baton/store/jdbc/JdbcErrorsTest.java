package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenStoreException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Database errors quote row values ("Failing row contains (...)"): the store's exceptions carry the
 * SQLState and its meaning, never that text, in the message or any cause.
 */
class JdbcErrorsTest {
  private final TestDatabase db = TestDatabase.get();

  @Test
  void save_rejectedByAConstraint_throwsWithoutTheRowInMessageOrCauses() {
    // A table whose check constraint refuses every value: PostgreSQL's error then quotes the
    // whole failing row, the plain-JSON token included (hex-encoded, as bytea is printed).
    db.execute("DROP TABLE IF EXISTS baton_refusing");
    for (String ddl : JdbcTokenSnapshotStore.schema("baton_refusing")) {
      db.execute(ddl);
    }
    db.execute("ALTER TABLE baton_refusing ALTER COLUMN expires_at DROP NOT NULL");
    db.execute("ALTER TABLE baton_refusing ADD CONSTRAINT tiny CHECK (length(snapshot) < 2)");
    TaskKey key = Samples.key("refused");
    TokenSnapshot snapshot = Samples.snapshotOf("mallory");
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .table("baton_refusing").createSchema(false).unsealed().build()) {
      Throwable thrown = catchThrowable(() -> store.save(key, snapshot, Duration.ofMinutes(1)));
      assertThat(thrown).isInstanceOf(TokenStoreException.class)
          .hasMessageStartingWith("PostgreSQL save for task " + key + " failed:")
          .hasMessageContaining("SQLState 23514");
      Samples.assertNeverContains(thrown, snapshot.accessToken().orElseThrow().token());
      assertThat(thrown.getCause()).hasMessageContaining("database message withheld");
    }
  }
}
