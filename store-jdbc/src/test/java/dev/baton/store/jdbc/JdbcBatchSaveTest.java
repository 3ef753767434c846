package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.store.BatchSaveException;
import dev.baton.store.TokenStoreException;
import dev.baton.test.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * {@code saveAllAsync} on PostgreSQL: one statement per {@value JdbcTokenSnapshotStore#BATCH_CHUNK}
 * keys. A statement the database refuses is reported key by key and leaves none of its rows; the
 * others are stored; nothing the driver says about the rows reaches a message or a log.
 */
class JdbcBatchSaveTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final int CHUNK = JdbcTokenSnapshotStore.BATCH_CHUNK;
  /** The table of the tests whose trigger refuses one row; the other tests use the default. */
  private static final String POISONED_TABLE = "baton_batch_poisoned";

  private final TestDatabase db = TestDatabase.get();

  private static List<TaskKey> keys(int count) {
    List<TaskKey> keys = new ArrayList<>();
    TaskKey first = Samples.key("batch-0");
    keys.add(first);
    for (int i = 1; i < count; i++) {
      keys.add(new TaskKey(first.scope(), "batch-" + i));
    }
    return keys;
  }

  /**
   * A table on which writing the row of {@code poisoned} fails: with an exception, or by the
   * database ending the connection that writes it (a crash or an administrator's kill mid-batch).
   */
  private void createPoisonedTable(TaskKey poisoned, boolean killConnection) {
    db.execute("DROP TABLE IF EXISTS " + POISONED_TABLE);
    for (String ddl : JdbcTokenSnapshotStore.schema(POISONED_TABLE)) {
      db.execute(ddl);
    }
    String action = killConnection
        ? "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5);"
        : "RAISE EXCEPTION 'poisoned row %', NEW.task_key;";
    db.execute("CREATE OR REPLACE FUNCTION " + POISONED_TABLE + "_refuse() RETURNS trigger"
        + " LANGUAGE plpgsql AS $$ BEGIN IF NEW.task_key = '" + poisoned.encoded() + "' THEN "
        + action + " END IF; RETURN NEW; END $$");
    db.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + POISONED_TABLE
        + " FOR EACH ROW EXECUTE FUNCTION " + POISONED_TABLE + "_refuse()");
  }

  private JdbcTokenSnapshotStore plainStoreOnPoisonedTable() {
    return JdbcTokenSnapshotStore.builder().dataSource(db.pool()).table(POISONED_TABLE)
        .createSchema(false).withoutSealing().build();
  }

  @Test
  void saveAllAsync_ofSeveralBatches_storesTheCallerUnderEveryKey() {
    List<TaskKey> keys = keys(2 * CHUNK + 17);
    TokenSnapshot snapshot = Samples.snapshotOf("alice");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.saveAllAsync(keys, snapshot, TTL).toCompletableFuture().join();
      for (TaskKey key : keys) {
        assertThat(store.load(key)).as("%s", key).contains(snapshot);
      }
    }
  }

  @Test
  void saveAllAsync_ofAKeyTwice_storesIt() {
    TaskKey key = Samples.key("twice");
    TokenSnapshot snapshot = Samples.snapshotOf("alice");
    try (JdbcTokenSnapshotStore store = Samples.sealedStore()) {
      store.saveAllAsync(List.of(key, key), snapshot, TTL).toCompletableFuture().join();
      assertThat(store.load(key)).contains(snapshot);
    }
  }

  @Test
  void saveAllAsync_whenTheDatabaseRefusesARow_reportsEveryKeyOfItsBatchAndStoresTheOthers() {
    List<TaskKey> keys = keys(2 * CHUNK + 17);
    TaskKey poisoned = keys.get(CHUNK + 40);
    createPoisonedTable(poisoned, false);
    TokenSnapshot snapshot = Samples.snapshotOf("alice");
    try (JdbcTokenSnapshotStore store = plainStoreOnPoisonedTable()) {
      Throwable thrown = catchThrowable(
          () -> store.saveAllAsync(keys, snapshot, TTL).toCompletableFuture().join());

      assertThat(thrown).isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(BatchSaveException.class);
      BatchSaveException failed = (BatchSaveException) thrown.getCause();
      List<TaskKey> secondBatch = keys.subList(CHUNK, 2 * CHUNK);
      assertThat(failed.failures().keySet()).containsExactlyInAnyOrderElementsOf(secondBatch);
      assertThat(failed.failures().values()).allSatisfy(failure -> {
        assertThat(failure).isInstanceOf(TokenStoreException.class)
            .hasMessageContaining("SQLState P0001");
        Samples.assertNeverContains(failure, snapshot.accessToken().orElseThrow().token());
      });
      for (int i = 0; i < keys.size(); i++) {
        Optional<TokenSnapshot> stored = store.load(keys.get(i));
        if (i >= CHUNK && i < 2 * CHUNK) {
          assertThat(stored).as("key %d, in the refused batch: rolled back", i).isEmpty();
        } else {
          assertThat(stored).as("key %d", i).contains(snapshot);
        }
      }
    }
  }

  @Test
  void saveAllAsync_whenTheConnectionDiesMidBatch_reportsItsKeysWithoutTheValues() {
    List<TaskKey> keys = keys(CHUNK + 3);
    TaskKey poisoned = keys.get(5);
    createPoisonedTable(poisoned, true);
    TokenSnapshot snapshot = Samples.snapshotOf("alice");
    try (JdbcTokenSnapshotStore store = plainStoreOnPoisonedTable();
        LogCapture logs = LogCapture.attach()) {
      Throwable thrown = catchThrowable(
          () -> store.saveAllAsync(keys, snapshot, TTL).toCompletableFuture().join());

      // HikariCP warns of the broken connection with the driver's exception: it holds no value.
      String token = snapshot.accessToken().orElseThrow().token();
      assertThat(logs.fullText()).doesNotContain(token)
          .doesNotContain(HexFormat.of().formatHex(token.getBytes(StandardCharsets.UTF_8)));
      BatchSaveException failed = (BatchSaveException) thrown.getCause();
      assertThat(failed.failures().keySet())
          .containsExactlyInAnyOrderElementsOf(keys.subList(0, CHUNK));
      assertThat(failed.failures().values()).allSatisfy(failure -> {
        // 57P01 (terminated) or 08006 (broken), as the driver first notices one or the other.
        assertThat(failure).isInstanceOf(TokenStoreException.class)
            .hasMessageMatching(".*\\(SQLState (57P01|08006)\\)");
        Samples.assertNeverContains(failure, snapshot.accessToken().orElseThrow().token());
        for (Throwable t = failure; t != null; t = t.getCause()) {
          assertThat(t.getMessage()).doesNotContain("INSERT").doesNotContain("\\x");
        }
      });
      Samples.assertNeverContains(failed, snapshot.accessToken().orElseThrow().token());
      for (TaskKey key : keys.subList(CHUNK, keys.size())) {
        assertThat(store.load(key)).contains(snapshot);
      }
    }
  }

  @Test
  void saveAllAsync_ofAnOversizedSnapshot_throwsAndWritesNothing() {
    List<TaskKey> keys = keys(3);
    try (JdbcTokenSnapshotStore store = JdbcTokenSnapshotStore.builder().dataSource(db.pool())
        .codec(JsonSnapshotCodec.builder().maxEncodedBytes(64).build()).sealingKeys(Samples.KEYS)
        .build()) {
      assertThatThrownBy(() -> store.saveAllAsync(keys, Samples.snapshotOf("alice"), TTL))
          .isInstanceOf(IllegalArgumentException.class);
      for (TaskKey key : keys) {
        assertThat(store.load(key)).isEmpty();
      }
    }
  }

  @Test
  void saveAllAsync_onAClosedStore_throwsIllegalState() {
    JdbcTokenSnapshotStore store = Samples.sealedStore();
    store.close();
    assertThatThrownBy(() -> store.saveAllAsync(keys(2), Samples.snapshotOf("alice"), TTL))
        .isInstanceOf(IllegalStateException.class);
  }
}
