package dev.baton.tck;

import static dev.baton.tck.Checks.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import dev.baton.store.TokenSnapshotStore;
import org.junit.jupiter.api.Test;

/**
 * Concurrency: operations from many threads never cross keys, never expose partial values, and
 * report removals exactly once. Threads start together on a latch; invariants are checked after.
 */
interface ConcurrencyChecks {

  // The checks reach the running check's fixture through the verification that implements this
  // interface; private, so that nothing here becomes API of the implementer's class.
  private Fixture fixture() {
    return Checks.fixtureOf(this);
  }

  private TokenSnapshotStore store() {
    return fixture().store();
  }


  @Test
  default void concurrentSaves_onDistinctKeys_eachLoadsItsOwn() throws Exception {
    int threads = fixture().config.concurrency;
    int perThread = Math.max(1, fixture().config.rounds / 2);
    var crossed = new ConcurrentLinkedQueue<String>();
    Race.run(threads, fixture().config.timeout, t -> {
      for (int i = 0; i < perThread; i++) {
        int n = t * perThread + i;
        TaskKey key = fixture().key("thread-" + t, "task-" + i);
        store().save(key, Samples.numbered(n), fixture().longTtl());
        Optional<TokenSnapshot> loaded = store().load(key);
        if (!loaded.equals(Optional.of(Samples.numbered(n)))) {
          String seen = loaded
              .map(s -> s.accessToken().map(a -> a.clientId()).orElse("anonymous"))
              .orElse("nothing");
          crossed.add(key + " loaded " + seen + " instead of tck-client-" + n);
        }
      }
    });
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        int n = t * perThread + i;
        Optional<TokenSnapshot> loaded = store().load(fixture().key("thread-" + t, "task-" + i));
        if (!loaded.equals(Optional.of(Samples.numbered(n)))) {
          crossed.add("after the race, thread-" + t + "/task-" + i + " did not load its own value");
        }
      }
    }
    assertThat(crossed).as(rule(
            "concurrent saves and loads on distinct keys never see each other's values",
            "for state shared between calls (a reused buffer, encoder, connection reply or"
                + " statement) that is not thread-safe"))
        .isEmpty();
  }

  @Test
  default void concurrentLoads_duringOverwrites_seeOnlyWholeSavedSnapshots() throws Exception {
    TaskKey key = fixture().key("overwrite-race");
    TokenSnapshot a = Samples.numbered(1);
    TokenSnapshot b = Samples.rich();
    store().save(key, a, fixture().longTtl());
    int threads = Math.max(2, fixture().config.concurrency);
    int operations = Math.max(1, fixture().config.rounds);
    var bad = new ConcurrentLinkedQueue<String>();
    Race.run(threads, fixture().config.timeout, t -> {
      for (int i = 0; i < operations; i++) {
        if (t % 2 == 0) {
          store().save(key, (i + t) % 2 == 0 ? a : b, fixture().longTtl());
        } else {
          Optional<TokenSnapshot> seen = store().load(key);
          if (seen.isEmpty()) {
            bad.add("load saw no entry while it was being overwritten");
          } else if (!seen.get().equals(a) && !seen.get().equals(b)) {
            bad.add("load saw a snapshot that was never saved: " + seen.get());
          }
        }
      }
    });
    assertThat(bad).as(rule(
            "while a key is overwritten concurrently, load sees one of the saved snapshots, never"
                + " nothing and never a mix",
            "that save replaces atomically (no delete-then-insert, no value written in parts)"))
        .isEmpty();
  }

  @Test
  default void concurrentDeletes_exactlyOneReturnsTrue() throws Exception {
    int threads = fixture().config.concurrency;
    for (int round = 0; round < fixture().config.rounds; round++) {
      TaskKey key = fixture().key("delete-race-" + round);
      store().save(key, Samples.numbered(round), fixture().longTtl());
      var removed = new AtomicInteger();
      Race.run(threads, fixture().config.timeout, i -> {
        if (store().delete(key)) {
          removed.incrementAndGet();
        }
      });
      assertThat(removed.get()).as(rule(
              "of " + threads + " concurrent deletes of one entry exactly one returns true (round "
                  + round + ")",
              "that delete's result comes from the removal itself (DEL's count, rows affected),"
                  + " not from a lookup before it"))
          .isEqualTo(1);
    }
  }

  // No check that a loaded snapshot is unaffected by later saves: TokenSnapshot and AccessToken
  // are immutable (claims deep-copied and normalized), so no store can fail it; the bug it aimed at,
  // state shared between entries, is caught by save_toOneKey_leavesOtherKeysUnchanged.
}
