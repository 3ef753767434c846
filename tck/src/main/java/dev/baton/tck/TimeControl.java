package dev.baton.tck;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the kit controls the time of a store under test: returned by
 * {@link TokenSnapshotStoreVerification#timeControl()}.
 *
 * <ul>
 *   <li>{@link #manual()}: the store reads time from the {@link StoreTime} the kit passes to its
 *       factory, and the kit moves that time forward: expiry checks are exact and instant.
 *   <li>{@link #realTime(Duration)}: the store runs on a clock the kit cannot move (a Redis server,
 *       a database). Expiry checks use short TTLs and poll with a deadline; {@code granularity} is
 *       the precision of the store's TTLs (Redis {@code PX}: 1 ms; a store keeping whole seconds:
 *       1 s), which sizes those TTLs and the margins around them.
 * </ul>
 *
 * <h2>How the kit counts a TTL</h2>
 * A check that requires an entry to be <em>present</em> counts its TTL from the moment it called
 * {@code save} (so the store cannot be blamed for time spent inside save); a check that requires it
 * to be <em>gone</em> counts from the moment {@code save} returned, adds the TTL and the margin
 * ({@code baton.tck.ttlMargin}), and then loads <em>once</em>: under real time there is no polling
 * on that side of the deadline, so a store that serves an expired entry one last time fails.
 * Present is checked up to one granularity before the deadline, gone from one margin after it,
 * with TTLs and time steps that are not whole milliseconds.
 *
 * <p>Immutable. This class, {@link StoreTime}, {@link FailureInjector} and
 * {@link FailureInjector.Outage} all live in the package {@code dev.baton.tck}.
 */
public final class TimeControl {
  private final boolean manual;
  private final Duration granularity;

  private TimeControl(boolean manual, Duration granularity) {
    this.manual = manual;
    this.granularity = granularity;
  }

  /** The kit drives the store's time, which the store applies to the nanosecond. */
  public static TimeControl manual() {
    return new TimeControl(true, Duration.ofNanos(1));
  }

  /**
   * The kit drives the store's time, which the store applies with the given precision (its TTLs
   * may be rounded up to a multiple of it, never down).
   *
   * @throws NullPointerException if {@code granularity} is null
   * @throws IllegalArgumentException if {@code granularity} is not positive
   */
  public static TimeControl manual(Duration granularity) {
    return new TimeControl(true, requirePositive(granularity));
  }

  /**
   * The store runs on real time, rounding TTLs up (never down) to {@code granularity}. Any positive
   * granularity is allowed, below a millisecond too ({@code Duration.ofNanos(1_000)} for a store
   * that keeps microseconds); margins never go below 20 ms, because real time also carries the
   * scheduling noise of the machine running the kit.
   *
   * @throws NullPointerException if {@code granularity} is null
   * @throws IllegalArgumentException if {@code granularity} is not positive
   */
  public static TimeControl realTime(Duration granularity) {
    return new TimeControl(false, requirePositive(granularity));
  }

  /** Whether the kit moves the store's time (otherwise it is real time). */
  public boolean isManual() {
    return manual;
  }

  /** The precision of the store's TTLs. */
  public Duration granularity() {
    return granularity;
  }

  private static Duration requirePositive(Duration granularity) {
    Objects.requireNonNull(granularity, "granularity");
    if (granularity.isNegative() || granularity.isZero()) {
      throw new IllegalArgumentException("granularity must be positive: " + granularity);
    }
    return granularity;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TimeControl other
        && manual == other.manual
        && granularity.equals(other.granularity);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(manual) * 31 + granularity.hashCode();
  }

  @Override
  public String toString() {
    return (manual ? "manual" : "realTime") + "(granularity=" + granularity + ")";
  }
}
