package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SnapshotDecodeException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Someone with write access to the table puts hostile bytes in the value column: the store
 * answers with a decode error, never with a snapshot, and above all never another caller's.
 */
class JdbcCorruptValueTest {
  private final TestDatabase db = TestDatabase.get();

  @ParameterizedTest
  @ValueSource(strings = {"", "\u00ba", "\u00ba\u0001", "{}", "null",
      "{\"v\":1,\"token\":\"bearer-x\"}", "\u00ba\u0001\u0002k1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
  void load_ofHostileBytes_throwsDecodeError(String hostile) throws SQLException {
    TaskKey key = Samples.key("hostile");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(key, Samples.snapshotOf("victim"), Duration.ofMinutes(5));
      overwrite(key, hostile.getBytes(StandardCharsets.ISO_8859_1));
      assertThatThrownBy(() -> store.load(key)).isInstanceOf(SnapshotDecodeException.class)
          .hasMessageNotContaining("bearer-");
    }
  }

  @Test
  void load_ofRandomBytes_throwsDecodeErrorEveryTime() throws SQLException {
    Random random = new Random(16);
    TaskKey key = Samples.key("random");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(key, Samples.snapshotOf("victim"), Duration.ofMinutes(5));
      for (int i = 0; i < 200; i++) {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        overwrite(key, bytes);
        assertThatThrownBy(() -> store.load(key)).isInstanceOf(SnapshotDecodeException.class);
      }
    }
  }

  @Test
  void load_ofAnotherCallersRowCopiedUnderMyKey_throwsDecodeErrorNotTheirSnapshot()
      throws SQLException {
    TaskKey victim = Samples.key("victim");
    TaskKey attacker = Samples.key("attacker");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.save(victim, Samples.snapshotOf("victim"), Duration.ofMinutes(5));
      store.save(attacker, Samples.snapshotOf("attacker"), Duration.ofMinutes(5));
      db.execute("UPDATE baton_snapshots SET snapshot = (SELECT snapshot FROM baton_snapshots"
          + " WHERE task_key = '" + victim.encoded() + "') WHERE task_key = '"
          + attacker.encoded() + "'");
      assertThatThrownBy(() -> store.load(attacker)).isInstanceOf(SnapshotDecodeException.class);
      assertThatThrownBy(() -> store.take(attacker)).isInstanceOf(SnapshotDecodeException.class);
    }
  }

  @Test
  void load_ofOneFlippedBit_throwsDecodeError() throws SQLException {
    TaskKey key = Samples.key("flipped");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      TokenSnapshot snapshot = Samples.snapshotOf("victim");
      store.save(key, snapshot, Duration.ofMinutes(5));
      db.execute("UPDATE baton_snapshots SET snapshot = set_bit(snapshot, 8 * 40 + 3,"
          + " 1 - get_bit(snapshot, 8 * 40 + 3)) WHERE task_key = '" + key.encoded() + "'");
      assertThatThrownBy(() -> store.load(key)).isInstanceOf(SnapshotDecodeException.class);
    }
  }

  @Test
  void unsealedStore_hostileJson_throwsDecodeError() throws SQLException {
    TaskKey key = Samples.key("json");
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder()
        .dataSource(db.pool()).withoutSealing().build()) {
      store.save(key, Samples.snapshotOf("victim"), Duration.ofMinutes(5));
      overwrite(key, "{\"v\":1,\"capturedAt\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
          .getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> store.load(key)).isInstanceOf(SnapshotDecodeException.class);
      assertThat(store.delete(key)).isTrue();
    }
  }

  private void overwrite(TaskKey key, byte[] bytes) throws SQLException {
    try (Connection c = db.pool().getConnection(); PreparedStatement s = c.prepareStatement(
        "UPDATE baton_snapshots SET snapshot = ? WHERE task_key = ?")) {
      s.setBytes(1, bytes);
      s.setString(2, key.encoded());
      assertThat(s.executeUpdate()).isOne();
    }
  }
}
