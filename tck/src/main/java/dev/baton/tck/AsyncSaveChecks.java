package dev.baton.tck;

import static dev.baton.tck.Checks.assertThrows;
import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * {@code saveAsync}: the entry is visible once the stage completes, with the same replacing and TTL
 * rules as {@code save}; argument and state errors throw at once as {@code save}'s do; backend
 * failures fail the stage with {@link TokenStoreException} and never throw; many writes in flight
 * all land. Stores that keep the default (save on the calling thread) pass by construction of the
 * default, and are still checked.
 */
interface AsyncSaveChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }

  @Test
  default void saveAsync_whenStageCompletes_loadReturnsTheSnapshot() {
    TaskKey key = fixture().key("async");
    fixture().saveAsync(key, Samples.rich(), fixture().longTtl());
    assertThat(store().load(key)).as(rule(
            "once the stage of saveAsync has completed, load returns the snapshot saved",
            "that the stage completes only after the backend has acknowledged the write (not when"
                + " the command is queued or buffered for later)"))
        .contains(Samples.rich());
  }

  @Test
  default void saveAsync_twice_loadReturnsTheLatest() {
    TaskKey key = fixture().key("async-overwrite");
    store().save(key, Samples.numbered(1), fixture().longTtl());
    fixture().saveAsync(key, Samples.numbered(2), fixture().longTtl());
    fixture().saveAsync(key, Samples.numbered(3), fixture().longTtl());
    assertThat(store().load(key)).as(rule("saveAsync replaces the entry, as save does",
            "that saveAsync writes with the same command or statement as save (an upsert)"))
        .contains(Samples.numbered(3));
  }

  @Test
  default void saveAsync_anonymousOverToken_loadReturnsAnonymous() {
    TaskKey key = fixture().key("async-anonymous");
    store().save(key, Samples.rich(), fixture().longTtl());
    fixture().saveAsync(key, Samples.anonymous(), fixture().longTtl());
    assertThat(store().load(key)).as(rule(
            "saveAsync of an anonymous snapshot over a token replaces the token",
            "that saveAsync encodes the anonymous marker as a value, exactly as save does"))
        .contains(Samples.anonymous());
  }

  @Test
  default void saveAsync_beforeTtl_isPresent() {
    TaskKey key = fixture().key("async-before-ttl");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().saveAsync(key, Samples.rich(), ttl);
    fixture().assertPresentBeforeTtl(key, Samples.rich(), ttl, saved, rule(
        "an entry written by saveAsync is readable until its TTL has elapsed (" + ttl + ")",
        "that saveAsync passes the TTL exactly as save does (rounded up, never down)"));
  }

  @Test
  default void saveAsync_afterTtl_isEmpty() {
    TaskKey key = fixture().key("async-after-ttl");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().saveAsync(key, Samples.rich(), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule(
        "an entry written by saveAsync is gone once its TTL has elapsed",
        "that saveAsync passes the TTL to the backend (SET ... PX), as save does"));
  }

  @Test
  default void saveAsync_overwrite_replacesTheTtl() {
    TaskKey key = fixture().key("async-overwrite-ttl");
    Duration ttl = fixture().shortTtl();
    store().save(key, Samples.numbered(1), fixture().longTtl());
    Fixture.Saved saved = fixture().saveAsync(key, Samples.numbered(2), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule(
        "saveAsync over an entry replaces its TTL with its own",
        "that saveAsync sets the expiry on every write, as save does"));
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check is that the store refuses it
  default void saveAsync_badArguments_throwAtOnceAndStoreNothing() {
    TaskKey key = fixture().key("async-bad-args");
    String nulls = rule("saveAsync with a null key, snapshot or TTL throws NullPointerException at"
            + " once (not through the stage)",
        "Objects.requireNonNull(..) for each argument before anything is sent");
    assertThrows(NullPointerException.class,
        () -> store().saveAsync(null, Samples.rich(), fixture().longTtl()), nulls);
    assertThrows(NullPointerException.class,
        () -> store().saveAsync(key, null, fixture().longTtl()), nulls);
    assertThrows(NullPointerException.class,
        () -> store().saveAsync(key, Samples.rich(), null), nulls);
    assertThrows(IllegalArgumentException.class,
        () -> store().saveAsync(key, Samples.rich(), Duration.ZERO),
        rule("saveAsync with a zero TTL throws IllegalArgumentException at once, as save does",
            "that saveAsync validates the TTL before sending, with TokenSnapshotStore"
                + ".requirePositiveTtl"));
    assertThat(store().load(key)).as(rule("a saveAsync rejected for its arguments stores nothing",
            "that arguments are checked before anything is sent"))
        .isEmpty();
  }

  @Test
  default void saveAsync_oversizedSnapshot_throwsIaeAndKeepsThePreviousEntry() {
    int limit = fixture().assumeSizeLimit();
    TaskKey key = fixture().key("async-oversized");
    store().save(key, Samples.numbered(1), fixture().longTtl());
    String rule = rule("saveAsync of a snapshot larger than maxSnapshotBytes() (" + limit
            + ") throws IllegalArgumentException at once and leaves the previous entry",
        "that saveAsync encodes and measures the value before sending, as save does");
    assertThrows(IllegalArgumentException.class,
        () -> store().saveAsync(key, Samples.withClaimOfLength(limit + 1), fixture().longTtl()),
        rule);
    assertThat(store().load(key)).as(rule).contains(Samples.numbered(1));
  }

  @Test
  default void saveAsync_afterClose_throwsIse() {
    TaskKey key = fixture().key("async-closed");
    fixture().closeStore();
    assertThrows(IllegalStateException.class,
        () -> store().saveAsync(key, Samples.rich(), fixture().longTtl()),
        rule("saveAsync on a closed store throws IllegalStateException at once",
            "that saveAsync checks the 'closed' flag before sending"));
  }

  @Test
  default void saveAsync_manyInFlightOnDistinctKeys_allLand() throws Exception {
    int threads = fixture().config.concurrency;
    int perThread = Math.max(1, fixture().config.rounds);
    var stages = new ConcurrentLinkedQueue<CompletionStage<Void>>();
    Race.run(threads, fixture().config.timeout, t -> {
      for (int i = 0; i < perThread; i++) {
        TaskKey key = fixture().key("async-thread-" + t, "task-" + i);
        stages.add(store().saveAsync(key, Samples.numbered(t * perThread + i),
            fixture().longTtl()));
      }
    });
    List<String> failed = new ArrayList<>();
    for (CompletionStage<Void> stage : stages) {
      Throwable failure = StageOutcome.await(stage, fixture().config.timeout).failure();
      if (failure != null) {
        failed.add(failure.toString());
      }
    }
    assertThat(failed).as(rule(threads * perThread + " saveAsync calls in flight at once all"
            + " complete normally", "that concurrent writes in flight do not share a reply slot,"
            + " buffer or statement"))
        .isEmpty();
    var crossed = new ArrayList<String>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        Optional<TokenSnapshot> loaded =
            store().load(fixture().key("async-thread-" + t, "task-" + i));
        if (!loaded.equals(Optional.of(Samples.numbered(t * perThread + i)))) {
          crossed.add("thread-" + t + "/task-" + i + " loaded "
              + loaded.map(s -> s.accessToken().map(a -> a.clientId()).orElse("anonymous"))
                  .orElse("nothing"));
        }
      }
    }
    assertThat(crossed).as(rule("every one of many concurrent saveAsync calls on distinct keys"
            + " lands under its own key", "that each write in flight carries its own key and"
            + " value (no reused buffer), and that none is dropped when many are pipelined"))
        .isEmpty();
  }

  @Test
  default void saveAsync_whenBackendFails_failsTheStageWithTokenStoreException() throws Exception {
    FailureInjector injector = fixture().assumeFailureInjection();
    TaskKey key = fixture().key("async-outage");
    try (FailureInjector.Outage outage = injector.begin(store())) {
      assertThat(outage).as("FailureInjector.begin returned null").isNotNull();
      var stage = new ArrayList<CompletionStage<Void>>(1);
      Throwable thrown = catchThrowable(() ->
          stage.add(store().saveAsync(key, Samples.numbered(1), fixture().longTtl())));
      assertThat(thrown).as(rule("saveAsync during a backend outage does not throw: the failure"
                  + " goes into its stage",
              "that backend errors raised while sending are caught and returned as a failed"
                  + " stage (CompletableFuture.failedFuture), so a batch sees one failure path"))
          .isNull();
      Throwable failure = StageOutcome.await(stage.get(0), fixture().config.timeout).failure();
      assertThat(failure).as(rule("the stage of saveAsync during a backend outage fails with"
                  + " TokenStoreException (it must not complete normally as if stored)",
              "that backend errors are mapped to TokenStoreException (the same mapping as"
                  + " save's) before completing the stage"))
          .isInstanceOf(TokenStoreException.class);
    }
  }
}
