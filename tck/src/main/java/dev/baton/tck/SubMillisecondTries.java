package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The repeated sub-millisecond TTL check: save with a TTL of {@link #TTL} (about 1.5 ms, off every
 * millisecond), then load once, late but provably before {@code TTL - granularity} has passed
 * since save began; the entry must be there every time.
 *
 * <p>Why it catches deadlines kept in whole milliseconds: such a store's deadline is at most
 * {@code now + 1 ms} (the TTL truncated to 1 ms, or "now" truncated to the millisecond, or both),
 * where {@code now} is read during save. Half of the real-time tries load 1 ms after save returned,
 * when that deadline has surely passed; the other half load as late as the kit can still time.
 * A try counts when save and load together took less than {@link #BUDGET}; one counted try of a
 * whole-millisecond store fails the check. Under manual time the kit places the load exactly, so
 * every try counts.
 */
final class SubMillisecondTries {
  /** About 1.5 ms, a whole number of no coarser unit. */
  static final Duration TTL = Duration.ofNanos(1_523_457);
  /** Tries under real time (each about 1.5 ms of spinning). */
  static final int REAL_TIME_TRIES = 200;
  /** Tries under manual time: each is exact, a few suffice. */
  static final int MANUAL_TRIES = 8;
  /**
   * How long save and load together may take for a real-time try to count: the time left between
   * the 1 ms read and {@code TTL - granularity} (about 0.52 ms, less the granularity).
   */
  static final Duration BUDGET = TTL.minusMillis(1);

  private static final long SPIN_SLACK_NANOS = 2_000;

  private SubMillisecondTries() {}

  private static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3fms", nanos / 1e6);
  }

  static void run(Fixture f, Duration ttl, String rule) {
    Duration presentUntil = ttl.minus(f.granularity());
    TaskKey key = f.key("sub-millisecond");
    TokenSnapshotStore store = f.store();
    if (f.time.isManual()) {
      for (int i = 0; i < MANUAL_TRIES; i++) {
        f.passUnalignedStep();
        TokenSnapshot value = Samples.numbered(i);
        Fixture.Saved saved = f.save(key, value, ttl);
        f.passSince(saved.endNanos(), presentUntil);
        assertThat(store.load(key)).as(rule + " (try " + (i + 1) + ": loaded " + presentUntil
            + " after save, granularity " + f.granularity() + ")").contains(value);
      }
      return;
    }
    long until = presentUntil.toNanos();
    long oneMs = 1_000_000L;
    long lastLoad = 0;
    int counted = 0;
    long fastest = Long.MAX_VALUE;
    for (int i = 0; i < REAL_TIME_TRIES; i++) {
      TokenSnapshot value = Samples.numbered(i);
      long start = f.time.nanos();
      store.save(key, value, ttl);
      long end = f.time.nanos();
      long readAt = i % 2 == 0
          ? end + oneMs + SPIN_SLACK_NANOS
          : start + until - lastLoad - 25 * SPIN_SLACK_NANOS;
      while (f.time.nanos() < readAt) {
        Thread.onSpinWait();
      }
      long loadStart = f.time.nanos();
      Optional<TokenSnapshot> loaded = store.load(key);
      long loadEnd = f.time.nanos();
      lastLoad = loadEnd - loadStart;
      long cost = (end - start) + lastLoad;
      fastest = Math.min(fastest, cost);
      if (loadEnd - start >= until) {
        continue; // too slow to prove anything: not counted
      }
      counted++;
      if (loaded.isEmpty()) {
        fail(rule + " — try " + (i + 1) + " of " + REAL_TIME_TRIES + ": the entry was gone "
            + ms(loadEnd - start) + " (or less) after save began, with ttl " + ttl
            + " (granularity " + f.granularity() + "); " + counted + " tries counted so far");
      }
      assertThat(loaded).as(rule + " (try " + (i + 1) + ")").contains(value);
    }
    Assumptions.assumeTrue(counted > 0, "inconclusive on this machine: in " + REAL_TIME_TRIES
        + " tries, save and load together never took less than the " + BUDGET + " this check"
        + " needs (fastest " + ms(fastest) + "); skipped");
  }
}
