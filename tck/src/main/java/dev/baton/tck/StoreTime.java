package dev.baton.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The time a store under test must run on, handed to
 * {@link TokenSnapshotStoreVerification#createStore(StoreTime)}.
 *
 * <p>With {@link TimeControl#manual()} the kit owns this time and moves it forward by itself; the
 * store must read every "now" from it (for a Caffeine-based store: {@code .ticker(time::nanos)};
 * for a store computing deadlines with {@code java.time}: {@link #clock()}). With
 * {@link TimeControl#realTime(Duration)} it is the system's time, and a store that keeps its own
 * clock (such as Redis) may ignore it.
 *
 * <p>Thread-safe. {@link #nanos()} never goes backwards; {@link #instant()} moves in step with it.
 *
 * <h2>Origins</h2>
 * Under manual time, {@link #nanos()} starts at 1,000,000,000,000 (not zero, to catch
 * stores that treat 0 as "unset"), {@link #instant()} at {@code 2030-01-01T00:00:00Z}, and both
 * move only when the kit advances them, by steps that are not whole milliseconds. Each check has
 * its own {@code StoreTime}. Under real time, {@link #nanos()} is {@link System#nanoTime()}: its
 * origin is arbitrary and differs between JVMs, so a store that persists deadlines (a database
 * row) must persist them on a shared clock — {@link #instant()} / {@link #clock()} or the
 * backend's own — never a {@code nanos()} value.
 */
public final class StoreTime {
  /** Where manual time starts: a fixed instant, so that failures reproduce. */
  static final Instant MANUAL_EPOCH = Instant.parse("2030-01-01T00:00:00Z");
  /** Where the manual ticker starts: not zero, to catch stores that treat 0 as "unset". */
  static final long MANUAL_START_NANOS = 1_000_000_000_000L;

  private final @Nullable AtomicLong manualNanos;

  private StoreTime(@Nullable AtomicLong manualNanos) {
    this.manualNanos = manualNanos;
  }

  /** Time that only moves when the kit {@linkplain #advance advances} it. */
  static StoreTime manual() {
    return new StoreTime(new AtomicLong(MANUAL_START_NANOS));
  }

  /** The system's time. */
  static StoreTime system() {
    return new StoreTime(null);
  }

  /** Whether the kit controls this time (as opposed to the system's time). */
  public boolean isManual() {
    return manualNanos != null;
  }

  /**
   * A monotonic reading in nanoseconds, like {@link System#nanoTime()} (and usable as a Caffeine
   * {@code Ticker}: {@code time::nanos}). Only differences between readings are meaningful.
   */
  public long nanos() {
    AtomicLong manual = manualNanos;
    return manual == null ? System.nanoTime() : manual.get();
  }

  /** The current instant: wall-clock time, moved forward together with {@link #nanos()}. */
  public Instant instant() {
    AtomicLong manual = manualNanos;
    return manual == null
        ? Instant.now()
        : MANUAL_EPOCH.plusNanos(manual.get() - MANUAL_START_NANOS);
  }

  /** A {@link Clock} (in UTC) reading {@link #instant()}. */
  public Clock clock() {
    return new StoreClock(this, ZoneOffset.UTC);
  }

  /**
   * Moves manual time forward by {@code amount}.
   *
   * @throws IllegalStateException if this is the system's time
   * @throws IllegalArgumentException if {@code amount} is negative
   */
  void advance(Duration amount) {
    AtomicLong manual = manualNanos;
    if (manual == null) {
      throw new IllegalStateException("real time cannot be advanced by the kit");
    }
    if (amount.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + amount);
    }
    manual.addAndGet(amount.toNanos());
  }

  @Override
  public String toString() {
    return isManual() ? "StoreTime[manual, now=" + instant() + "]" : "StoreTime[system]";
  }

  private static final class StoreClock extends Clock {
    private final StoreTime time;
    private final ZoneId zone;

    StoreClock(StoreTime time, ZoneId zone) {
      this.time = time;
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new StoreClock(time, Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public Instant instant() {
      return time.instant();
    }
  }
}
