package dev.baton.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * One check's world: the store under test, its time, and the kit's settings. Created per check
 * and per property sample; closing it closes the store.
 *
 * <p>Keys are made unique per fixture ({@link #key}), so stores that share a backend between
 * instances (one Redis server) start every check empty.
 */
final class Fixture implements AutoCloseable {
  final TckConfig config;
  final StoreTime time;
  final OptionalInt maxSnapshotBytes;
  final Optional<FailureInjector> failureInjection;
  private final Function<StoreTime, TokenSnapshotStore> factory;
  private final SealedStoreFactory sealedFactory;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private @Nullable TokenSnapshotStore store;
  private @Nullable TokenSnapshotStore sealedStore;
  private boolean closedByCheck;
  private final Set<TaskKey> made = ConcurrentHashMap.newKeySet();

  Fixture(
      TckConfig config,
      Function<StoreTime, TokenSnapshotStore> factory,
      SealedStoreFactory sealedFactory,
      OptionalInt maxSnapshotBytes,
      Optional<FailureInjector> failureInjection) {
    this.config = config;
    this.time = config.time.isManual() ? StoreTime.manual() : StoreTime.system();
    this.factory = factory;
    this.sealedFactory = sealedFactory;
    this.maxSnapshotBytes = maxSnapshotBytes;
    this.failureInjection = failureInjection;
  }

  /** The store under test, created on first use (by whichever thread gets there first). */
  synchronized TokenSnapshotStore store() {
    TokenSnapshotStore s = store;
    if (s == null) {
      s = Objects.requireNonNull(factory.apply(time),
          "createStore(StoreTime) returned null — if this fails, check your factory method");
      store = s;
    }
    return s;
  }

  /** Builds the sealed store of {@code createSealedStore}, or empty when it is not overridden. */
  @FunctionalInterface
  interface SealedStoreFactory {
    Optional<TokenSnapshotStore> create(StoreTime time, SealingSnapshotCodec codec);
  }

  /**
   * The store from {@code createSealedStore}, created on first use with the kit's sealing codec;
   * the running check is reported as not applicable (aborted, with the reason) when the hook is
   * not overridden.
   */
  synchronized TokenSnapshotStore sealedStore() {
    TokenSnapshotStore s = sealedStore;
    if (s == null) {
      Optional<TokenSnapshotStore> created = Objects.requireNonNull(
          sealedFactory.create(time, SealedValues.codec()),
          "createSealedStore(StoreTime, SealingSnapshotCodec) returned null; return"
              + " Optional.empty() for a store that cannot seal");
      Assumptions.assumeTrue(created.isPresent(),
          "createSealedStore(StoreTime, SealingSnapshotCodec) is not overridden: the kit cannot"
              + " check values as the sealing codec writes them (binary, with 0x00 bytes and"
              + " invalid UTF-8); skipped");
      s = created.orElseThrow();
      sealedStore = s;
    }
    return s;
  }

  /** Closes the store as part of a check (the fixture then leaves it alone). */
  synchronized void closeStore() {
    closedByCheck = true;
    store().close();
  }

  /**
   * Deletes every key this fixture handed out (so a persistent backend keeps no rows from the
   * kit), then closes the store. A delete that fails (a store the check broke, a backend still
   * down) is ignored: the clean-up must not hide the check's own result.
   */
  @Override
  public synchronized void close() {
    TokenSnapshotStore sealed = sealedStore;
    try {
      if (sealed != null) {
        deleteMadeKeysAndClose(sealed);
      }
    } finally {
      TokenSnapshotStore s = store;
      if (s != null && !closedByCheck) {
        deleteMadeKeysAndClose(s);
      }
    }
  }

  private void deleteMadeKeysAndClose(TokenSnapshotStore s) {
    try {
      for (TaskKey key : made) {
        try {
          s.delete(key);
        } catch (RuntimeException e) {
          // best effort: see above
        }
      }
    } finally {
      s.close();
    }
  }

  // ---- keys -------------------------------------------------------------------------------------

  /** A key unique to this fixture (deleted when the fixture closes). */
  TaskKey key(String taskId) {
    return track(new TaskKey("tck-" + run, taskId));
  }

  /** A key in a scope unique to this fixture, named by {@code scope}. */
  TaskKey key(String scope, String taskId) {
    return track(new TaskKey("tck-" + run + "|" + scope, taskId));
  }

  /** Registers a key built elsewhere, so that {@link #close()} deletes it. */
  TaskKey track(TaskKey key) {
    made.add(key);
    return key;
  }

  // ---- capabilities -----------------------------------------------------------------------------

  void assumeTouch() {
    Assumptions.assumeTrue(store().capabilities().touch(),
        "store does not declare touch (TokenSnapshotStore.capabilities()); skipped");
  }

  void assumeTake() {
    Assumptions.assumeTrue(store().capabilities().take(),
        "store does not declare take (TokenSnapshotStore.capabilities()); skipped");
  }

  int assumeSizeLimit() {
    Assumptions.assumeTrue(maxSnapshotBytes.isPresent(),
        "maxSnapshotBytes() declares no size limit; skipped");
    return maxSnapshotBytes.getAsInt();
  }

  FailureInjector assumeFailureInjection() {
    Assumptions.assumeTrue(failureInjection.isPresent(),
        "failureInjection() is empty: the kit cannot make the backend fail; skipped");
    return failureInjection.orElseThrow();
  }

  // ---- time -------------------------------------------------------------------------------------

  /** When a save started and returned, by {@link #time}. */
  record Saved(long startNanos, long endNanos) {}

  Saved save(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    long start = time.nanos();
    store().save(key, snapshot, ttl);
    return new Saved(start, time.nanos());
  }

  /**
   * Calls {@code saveAsync} and waits (up to {@code baton.tck.timeout}) for its stage; fails the
   * check when the stage fails or never completes.
   */
  Saved saveAsync(TaskKey key, TokenSnapshot snapshot, Duration ttl) {
    long start = time.nanos();
    StageOutcome outcome = StageOutcome.await(store().saveAsync(key, snapshot, ttl), config.timeout);
    outcome.requireCompletedNormally("saveAsync of " + key);
    return new Saved(start, time.nanos());
  }

  /**
   * Calls {@code saveAllAsync} and waits (up to {@code baton.tck.timeout}) for its stage; fails the
   * check when the stage fails or never completes.
   */
  Saved saveAllAsync(List<TaskKey> keys, TokenSnapshot snapshot, Duration ttl) {
    long start = time.nanos();
    StageOutcome outcome =
        StageOutcome.await(store().saveAllAsync(keys, snapshot, ttl), config.timeout);
    outcome.requireCompletedNormally("saveAllAsync of " + keys.size() + " keys");
    return new Saved(start, time.nanos());
  }

  /** A TTL long enough that nothing expires during a check. */
  Duration longTtl() {
    return config.longTtl();
  }

  /** The TTL of an entry a check waits out: long under manual time, short under real time. */
  Duration shortTtl() {
    return config.shortTtl;
  }

  Duration granularity() {
    return config.time.granularity();
  }

  /** Lets {@code amount} pass after {@code mark}: manual time is advanced, real time waited out. */
  void passSince(long mark, Duration amount) {
    long target = mark + amount.toNanos();
    if (time.isManual()) {
      long now = time.nanos();
      if (target > now) {
        time.advance(Duration.ofNanos(target - now));
      }
      return;
    }
    long remaining;
    while ((remaining = target - time.nanos()) > 0) {
      sleepNanos(remaining);
    }
  }

  /**
   * Under manual time, moves "now" off every coarse boundary (milliseconds, microseconds), so a
   * store that keeps deadlines in a coarser unit than it declares is caught; real time: nothing.
   */
  void passUnalignedStep() {
    if (time.isManual()) {
      time.advance(UNALIGNED_STEP);
    }
  }

  /** A step that is a whole number of no coarse unit: 1.234567891 s. */
  static final Duration UNALIGNED_STEP = Duration.ofNanos(1_234_567_891L);

  /** Lets {@code amount} pass from now. */
  void pass(Duration amount) {
    passSince(time.nanos(), amount);
  }

  /**
   * Checks that the entry saved at {@code saved} with {@code ttl} is readable until just before its
   * TTL (strictly before {@code ttl - granularity} under real time, where the kit measures an upper
   * bound of the store's elapsed time).
   *
   * <p>Never a silent pass: when the kit cannot prove anything (a TTL below one granularity; under
   * real time, a first load that already came too late to count), the check is reported as not
   * applicable on this clock (aborted, with the reason and the setting that helps).
   */
  void assertPresentBeforeTtl(TaskKey key, TokenSnapshot expected, Duration ttl, Saved saved,
      String rule) {
    Duration presentUntil = ttl.minus(granularity());
    Assumptions.assumeFalse(presentUntil.isNegative(), "the TTL " + ttl + " is below the"
        + " granularity " + granularity() + ", which a store may round it up to: nothing to"
        + " check on this clock; skipped (raise baton.tck.shortTtl)");
    if (time.isManual()) {
      passSince(saved.endNanos(), presentUntil);
      assertThat(store().load(key)).as(rule + " (loaded " + presentUntil + " after save, ttl "
          + ttl + ", granularity " + granularity() + ")").contains(expected);
      return;
    }
    // Real time: poll until the deadline; an absent result is a failure only when the kit can
    // prove that less than (ttl - granularity) had elapsed since the save began.
    long deadline = saved.startNanos() + presentUntil.toNanos();
    boolean seen = false;
    while (true) {
      Optional<TokenSnapshot> loaded = store().load(key);
      long upperBound = time.nanos() - saved.startNanos();
      if (loaded.isEmpty()) {
        if (upperBound < presentUntil.toNanos()) {
          fail(rule + " — the entry was gone at most " + millis(upperBound)
              + " after save with ttl "
              + ttl + " (granularity " + granularity() + ")");
        }
        Assumptions.assumeTrue(seen, "inconclusive on this clock: the first load ended "
            + millis(upperBound) + " after save began, past the " + presentUntil + " (ttl "
            + ttl + " - granularity) within which the entry must be present, so its absence"
            + " proves nothing; skipped (a slow machine: raise baton.tck.shortTtl)");
        return;
      }
      seen = true;
      assertThat(loaded).as(rule).contains(expected);
      if (time.nanos() >= deadline) {
        return;
      }
      sleepNanos(pollNanos());
    }
  }

  /**
   * Checks that the entry saved at {@code saved} with {@code ttl} is gone once {@code ttl} plus the
   * margin has passed since save returned, by one single load (no polling, also under real time).
   */
  void assertGoneAfterTtl(TaskKey key, Duration ttl, Saved saved, String rule) {
    Duration goneAfter = ttl.plus(config.ttlMargin);
    if (time.isManual()) {
      passSince(saved.endNanos(), goneAfter);
      assertThat(store().load(key)).as(rule + " (ttl " + ttl + ", margin " + config.ttlMargin
          + ", baton.tck.ttlMargin)").isEmpty();
      return;
    }
    // Real time: wait until ttl + margin have surely elapsed since save returned, then load
    // once. No polling: a store that serves an expired entry once (and deletes it then) fails.
    passSince(saved.endNanos(), goneAfter);
    long elapsed = time.nanos() - saved.endNanos();
    assertThat(store().load(key)).as(rule + " — a single load " + millis(elapsed)
        + " after save returned, with ttl " + ttl + " (margin " + config.ttlMargin
        + ", set by baton.tck.ttlMargin)").isEmpty();
  }

  private long pollNanos() {
    long half = granularity().toNanos() / 2;
    long ms = TimeUnit.MILLISECONDS.toNanos(1);
    return Math.max(ms, Math.min(half, 50 * ms));
  }

  static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1fms", nanos / 1e6);
  }

  static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for time to pass", e);
    }
  }
}
