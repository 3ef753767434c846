package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenStoreException;
import dev.baton.tck.FailureInjector;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The database restarts in the middle of a run: the same store instance (and its pool) fails with
 * {@link TokenStoreException} while it is down and works again once it is back, with what was
 * committed before the restart still there.
 */
class JdbcRestartTest {
  private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(30);

  @Test
  void store_acrossADatabaseRestart_failsCleanlyThenRecoversWithItsData() throws Exception {
    TestDatabase db = TestDatabase.get();
    TaskKey before = Samples.key("before-restart");
    TaskKey after = Samples.key("after-restart");
    TokenSnapshot kept = Samples.snapshotOf("kept");
    TokenSnapshot later = Samples.snapshotOf("later");
    try (HikariDataSource pool = db.newPool(4);
        JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(pool)
            .sealingKeys(Samples.KEYS).build()) {
      store.save(before, kept, Duration.ofMinutes(10));
      try (FailureInjector.Outage outage = db.outage()) {
        assertThatThrownBy(() -> store.load(before)).isInstanceOf(TokenStoreException.class)
            .hasMessageContaining("for task " + before);
        assertThatThrownBy(() -> store.save(after, later, Duration.ofMinutes(10)))
            .isInstanceOf(TokenStoreException.class);
        assertThatThrownBy(() -> store.take(before)).isInstanceOf(TokenStoreException.class);
      }
      long deadline = System.nanoTime() + RECOVERY_DEADLINE.toNanos();
      Optional<TokenSnapshot> loaded = Optional.empty();
      TokenStoreException last = null;
      while (System.nanoTime() < deadline) {
        try {
          loaded = store.load(before);
          last = null;
          break;
        } catch (TokenStoreException e) {
          last = e; // a pooled connection from before the restart: the pool drops it
        }
      }
      assertThat(last).as("still failing after " + RECOVERY_DEADLINE).isNull();
      assertThat(loaded).contains(kept);
      store.save(after, later, Duration.ofMinutes(10));
      assertThat(store.take(after)).contains(later);
    }
  }
}
