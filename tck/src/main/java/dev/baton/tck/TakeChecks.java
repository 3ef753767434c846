package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static dev.baton.tck.Checks.assertThrows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/** Take (optional): atomic load-and-delete; of concurrent takers exactly one gets the snapshot. */
interface TakeChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }



  @Test
  default void take_liveEntry_returnsItAndRemovesIt() {
    fixture().assumeTake();
    TaskKey key = fixture().key("take");
    store().save(key, Samples.rich(), fixture().longTtl());
    assertThat(store().take(key)).as(rule("take of a live entry returns its snapshot",
            "that take returns the value it removed (GETDEL), decoded like load"))
        .contains(Samples.rich());
    assertThat(store().load(key)).as(rule("after take, load is empty",
            "that take deletes the entry, not only reads it"))
        .isEmpty();
  }

  @Test
  default void take_missingKey_isEmpty() {
    fixture().assumeTake();
    assertThat(store().take(fixture().key("take-missing"))).as(rule(
            "take of a key never saved is empty", "that take returns Optional.empty() on a miss"))
        .isEmpty();
  }

  @Test
  default void take_expiredEntry_isEmpty() {
    fixture().assumeTake();
    TaskKey key = fixture().key("take-expired");
    Duration ttl = fixture().shortTtl();
    Fixture.Saved saved = fixture().save(key, Samples.rich(), ttl);
    fixture().assertGoneAfterTtl(key, ttl, saved, rule("an entry is gone after its TTL",
        "that the TTL is applied"));
    assertThat(store().take(key)).as(rule("take of an expired entry is empty",
            "that take checks expiry like load does"))
        .isEmpty();
  }

  @Test
  default void take_concurrentTakers_exactlyOneGetsTheSnapshot() throws Exception {
    fixture().assumeTake();
    int threads = fixture().config.concurrency;
    for (int round = 0; round < fixture().config.rounds; round++) {
      TaskKey key = fixture().key("take-race-" + round);
      TokenSnapshot snapshot = Samples.numbered(round);
      store().save(key, snapshot, fixture().longTtl());
      var winners = new AtomicInteger();
      var wrong = new AtomicInteger();
      Race.run(threads, fixture().config.timeout, i -> {
        Optional<TokenSnapshot> taken = store().take(key);
        if (taken.isPresent()) {
          winners.incrementAndGet();
          if (!taken.get().equals(snapshot)) {
            wrong.incrementAndGet();
          }
        }
      });
      assertThat(winners.get()).as(rule(
              "of " + threads + " concurrent takers exactly one gets the snapshot (round " + round
                  + ")",
              "that take is one atomic backend operation (GETDEL, DELETE ... RETURNING, a"
                  + " compare-and-remove), not a load followed by a delete"))
          .isEqualTo(1);
      assertThat(wrong.get()).as(rule("take returns the snapshot saved",
          "that take decodes like load")).isZero();
    }
  }

  @Test
  default void take_racingDelete_exactlyOneWins() throws Exception {
    fixture().assumeTake();
    for (int round = 0; round < fixture().config.rounds; round++) {
      TaskKey key = fixture().key("take-delete-race-" + round);
      store().save(key, Samples.numbered(round), fixture().longTtl());
      var taken = new AtomicInteger();
      var deleted = new AtomicInteger();
      Race.run(2, fixture().config.timeout, i -> {
        if (i == 0) {
          if (store().take(key).isPresent()) {
            taken.incrementAndGet();
          }
        } else if (store().delete(key)) {
          deleted.incrementAndGet();
        }
      });
      assertThat(taken.get() + deleted.get()).as(rule(
              "when take and delete race for one entry, exactly one of them gets it (round "
                  + round + ": take " + taken + ", delete " + deleted + ")",
              "that take and delete are each atomic and report only what they removed"))
          .isEqualTo(1);
    }
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: the check is that the store refuses it
  default void take_nullKey_throwsNpe() {
    fixture().assumeTake();
    assertThrows(NullPointerException.class, () -> store().take(null),
        rule(
            "take with a null key throws NullPointerException",
            "Objects.requireNonNull(key, \"key\") at the top of take"));
  }
}
