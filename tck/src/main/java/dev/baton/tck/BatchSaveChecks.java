package dev.baton.tck;

import static dev.baton.tck.Checks.assertThrows;
import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.BatchSaveException;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * {@code saveAllAsync}, one snapshot under many keys: each entry is exactly what {@code saveAsync}
 * would store (value, replacement, TTL); the keys are the ones given at the call; argument and
 * state errors throw at once and store nothing; backend failures go into the stage as a
 * {@link BatchSaveException} naming every key that failed, never as a normal completion. Stores
 * that keep the SPI's default (a {@code saveAsync} per key) pass these as they pass
 * {@code saveAsync}'s.
 */
interface BatchSaveChecks {

  /** More keys than one chunk of a store that writes in chunks (the stores here use 256). */
  int BATCH = 600;

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }

  private List<TaskKey> batchKeys(String name, int count) {
    List<TaskKey> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add(fixture().key(name + "-" + i));
    }
    return keys;
  }

  @Test
  default void saveAllAsync_whenStageCompletes_everyKeyLoadsTheSnapshot() {
    List<TaskKey> keys = batchKeys("batch", BATCH);
    fixture().saveAllAsync(keys, Samples.rich(), fixture().longTtl());
    for (TaskKey key : keys) {
      assertThat(store().load(key)).as(rule(
              "once the stage of saveAllAsync has completed, load returns the snapshot under"
                  + " every key of the batch (" + key + ")",
              "that every chunk of the batch is written and flushed, and that each value is"
                  + " encoded (and sealed) for its own key, exactly as save encodes it"))
          .contains(Samples.rich());
    }
  }

  @Test
  default void saveAllAsync_emptyBatch_completesNormally() {
    fixture().saveAllAsync(List.of(), Samples.rich(), fixture().longTtl());
  }

  @Test
  default void saveAllAsync_beforeTtl_theLastKeyIsPresent() {
    // A short batch: on real time the TTL is short, and the whole batch must be written within it.
    List<TaskKey> keys = batchKeys("batch-before-ttl", 3);
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().saveAllAsync(keys, Samples.rich(), ttl);
    fixture().assertPresentBeforeTtl(keys.get(2), Samples.rich(), ttl, saved, rule(
        "an entry written by saveAllAsync, the batch's last included, is readable until its TTL"
            + " has elapsed (" + ttl + ")",
        "that the batch passes the TTL exactly as save does (rounded up, never down)"));
  }

  @Test
  default void saveAllAsync_afterTtl_everyKeyIsEmpty() {
    List<TaskKey> keys = batchKeys("batch-after-ttl", BATCH);
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().saveAllAsync(keys, Samples.rich(), ttl);
    fixture().assertGoneAfterTtl(keys.get(0), ttl, saved, rule(
        "an entry written by saveAllAsync is gone once its TTL has elapsed",
        "that saveAllAsync passes the TTL to the backend for every key, as save does"));
    List<Integer> kept = new ArrayList<>();
    for (int i = 1; i < BATCH; i++) {
      if (store().load(keys.get(i)).isPresent()) {
        kept.add(i);
      }
    }
    assertThat(kept).as(rule(
            "every entry written by saveAllAsync is gone once its TTL has elapsed (these keys of"
                + " the batch were still present)",
            "that the TTL is set on every key of every chunk, not on the first key or chunk"
                + " only"))
        .isEmpty();
  }

  @Test
  default void saveAllAsync_overExistingEntries_replacesThem() {
    List<TaskKey> keys = batchKeys("batch-overwrite", 2);
    for (TaskKey key : keys) {
      store().save(key, Samples.numbered(1), fixture().longTtl());
    }
    fixture().saveAllAsync(keys, Samples.numbered(2), fixture().longTtl());
    for (TaskKey key : keys) {
      assertThat(store().load(key)).as(rule("saveAllAsync replaces each key's entry, as save does",
              "that the batch writes with the same command or statement as save (an upsert)"))
          .contains(Samples.numbered(2));
    }
  }

  @Test
  default void saveAllAsync_anonymous_loadsAnonymousUnderEveryKey() {
    List<TaskKey> keys = batchKeys("batch-anonymous", 2);
    store().save(keys.get(0), Samples.rich(), fixture().longTtl());
    fixture().saveAllAsync(keys, Samples.anonymous(), fixture().longTtl());
    for (TaskKey key : keys) {
      assertThat(store().load(key)).as(rule(
              "saveAllAsync of an anonymous snapshot stores it under every key (over a token too)",
              "that the batch encodes the anonymous marker as a value, exactly as save does"))
          .contains(Samples.anonymous());
    }
  }

  @Test
  default void saveAllAsync_sameKeyTwice_storesIt() {
    TaskKey key = fixture().key("batch-twice");
    fixture().saveAllAsync(List.of(key, key), Samples.rich(), fixture().longTtl());
    assertThat(store().load(key)).as(rule(
            "saveAllAsync with a key given twice completes and stores the snapshot under it",
            "that a repeated key is written twice with the same value, not refused by a"
                + " statement that may not touch a row twice"))
        .contains(Samples.rich());
  }

  @Test
  default void saveAllAsync_keysChangedAfterTheCall_storesTheKeysGiven() {
    List<TaskKey> given = batchKeys("batch-given", 8);
    List<TaskKey> later = batchKeys("batch-later", 8);
    List<TaskKey> callersList = new ArrayList<>(given);
    CompletionStage<Void> stage =
        store().saveAllAsync(callersList, Samples.rich(), fixture().longTtl());
    callersList.clear();
    callersList.addAll(later);
    StageOutcome.await(stage, fixture().config.timeout)
        .requireCompletedNormally("saveAllAsync of " + given.size() + " keys");
    String rule = rule("saveAllAsync stores the keys its collection held at the call, whatever"
            + " the caller does with the collection afterwards",
        "that the keys are copied (List.copyOf) before saveAllAsync returns, not read later by"
            + " the thread that writes them");
    for (TaskKey key : given) {
      assertThat(store().load(key)).as(rule).contains(Samples.rich());
    }
    for (TaskKey key : later) {
      assertThat(store().load(key)).as(rule).isEmpty();
    }
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check is that the store refuses it
  default void saveAllAsync_badArguments_throwAtOnceAndStoreNothing() {
    TaskKey key = fixture().key("batch-bad-args");
    List<TaskKey> withNull = Arrays.asList(key, null);
    String nulls = rule("saveAllAsync with null keys, a null key among them, a null snapshot or a"
            + " null TTL throws NullPointerException at once (not through the stage)",
        "that the keys are copied with List.copyOf (which refuses a null element) and every"
            + " argument checked before anything is sent");
    assertThrows(NullPointerException.class,
        () -> store().saveAllAsync(null, Samples.rich(), fixture().longTtl()), nulls);
    assertThrows(NullPointerException.class,
        () -> store().saveAllAsync(withNull, Samples.rich(), fixture().longTtl()), nulls);
    assertThrows(NullPointerException.class,
        () -> store().saveAllAsync(List.of(key), null, fixture().longTtl()), nulls);
    assertThrows(NullPointerException.class,
        () -> store().saveAllAsync(List.of(key), Samples.rich(), null), nulls);
    String ttls = rule("saveAllAsync with a zero or negative TTL throws IllegalArgumentException at"
            + " once, as save does",
        "that the batch validates the TTL with TokenSnapshotStore.requirePositiveTtl before"
            + " sending");
    assertThrows(IllegalArgumentException.class,
        () -> store().saveAllAsync(List.of(key), Samples.rich(), Duration.ZERO), ttls);
    assertThrows(IllegalArgumentException.class,
        () -> store().saveAllAsync(List.of(key), Samples.rich(), Duration.ofMillis(-5)), ttls);
    assertThat(store().load(key)).as(rule(
            "a saveAllAsync rejected for its arguments stores nothing, not even under the keys"
                + " before the bad one",
            "that arguments are checked before anything is sent"))
        .isEmpty();
  }

  @Test
  default void saveAllAsync_oversizedSnapshot_throwsIaeAndKeepsThePreviousEntries() {
    int limit = fixture().assumeSizeLimit();
    List<TaskKey> keys = batchKeys("batch-oversized", 2);
    store().save(keys.get(0), Samples.numbered(1), fixture().longTtl());
    String rule = rule("saveAllAsync of a snapshot larger than maxSnapshotBytes() (" + limit
            + ") throws IllegalArgumentException at once, and stores nothing",
        "that the batch encodes and measures the value before sending, as save does");
    assertThrows(IllegalArgumentException.class, () -> store().saveAllAsync(keys,
        Samples.withClaimOfLength(limit + 1), fixture().longTtl()), rule);
    assertThat(store().load(keys.get(0))).as(rule).contains(Samples.numbered(1));
    assertThat(store().load(keys.get(1))).as(rule).isEmpty();
  }

  @Test
  default void saveAllAsync_afterClose_throwsIse() {
    List<TaskKey> keys = batchKeys("batch-closed", 2);
    fixture().closeStore();
    assertThrows(IllegalStateException.class,
        () -> store().saveAllAsync(keys, Samples.rich(), fixture().longTtl()),
        rule("saveAllAsync on a closed store throws IllegalStateException at once",
            "that saveAllAsync checks the 'closed' flag before sending"));
  }

  @Test
  default void saveAllAsync_whenBackendFails_failsTheStageNamingEveryKey() throws Exception {
    FailureInjector injector = fixture().assumeFailureInjection();
    List<TaskKey> keys = batchKeys("batch-outage", 3);
    try (FailureInjector.Outage outage = injector.begin(store())) {
      assertThat(outage).as("FailureInjector.begin returned null").isNotNull();
      var stage = new ArrayList<CompletionStage<Void>>(1);
      Throwable thrown = catchThrowable(() ->
          stage.add(store().saveAllAsync(keys, Samples.numbered(1), fixture().longTtl())));
      assertThat(thrown).as(rule("saveAllAsync during a backend outage does not throw: the"
                  + " failures go into its stage",
              "that backend errors raised while sending are caught and reported through the"
                  + " stage, as saveAsync's are"))
          .isNull();
      Throwable failure = StageOutcome.await(stage.get(0), fixture().config.timeout).failure();
      assertThat(failure).as(rule("the stage of saveAllAsync during a backend outage fails with"
                  + " BatchSaveException (it must not complete normally as if stored)",
              "that every write's failure is gathered and the stage failed with a"
                  + " BatchSaveException once all writes have answered"))
          .isInstanceOf(BatchSaveException.class);
      assertThat(failure instanceof BatchSaveException batch ? batch.failures() : Map.of())
          .as(rule("a BatchSaveException names every key that failed, each with a"
                  + " TokenStoreException (here, during an outage, every key of the batch)",
              "that failures are recorded per key, and mapped to TokenStoreException as save's"
                  + " are"))
          .containsOnlyKeys(keys)
          .allSatisfy((key, cause) -> assertThat(cause).isInstanceOf(TokenStoreException.class));
    }
  }
}
