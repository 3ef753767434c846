package dev.baton.test;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One manual time for a whole test: a {@link Clock} for {@link dev.baton.Baton} (expiry checks,
 * capture times) and a Caffeine {@link Ticker} for the memory store (TTLs), so that one
 * {@link #advance(Duration)} moves both. Time never moves on its own.
 *
 * <p>Without it, a test has to keep Baton's clock and the store's ticker in step by hand: a token
 * that Baton sees as expired would still sit in the store, or the other way round.
 *
 * <p>Thread-safe: any thread may read or advance it; {@link #read()} never goes backwards.
 */
public final class TestClock extends Clock implements Ticker {
  /** Where a test's time starts unless told otherwise: a fixed instant, so failures reproduce. */
  public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

  /** Where the ticker starts: not zero, to catch code that treats 0 as "unset". */
  private static final long START_NANOS = 1_000_000_000_000L;

  private final Instant start;
  private final AtomicLong elapsedNanos;
  private final ZoneId zone;

  private TestClock(Instant start, AtomicLong elapsedNanos, ZoneId zone) {
    this.start = start;
    this.elapsedNanos = elapsedNanos;
    this.zone = zone;
  }

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public static TestClock create() {
    return startingAt(DEFAULT_START);
  }

  /**
   * A clock at {@code start}, in UTC.
   *
   * @throws NullPointerException if {@code start} is null
   */
  public static TestClock startingAt(Instant start) {
    return new TestClock(Objects.requireNonNull(start, "start"), new AtomicLong(), ZoneOffset.UTC);
  }

  /**
   * Moves time forward by {@code amount}, for Baton and the store at once.
   *
   * @return the new current instant
   * @throws NullPointerException if {@code amount} is null
   * @throws IllegalArgumentException if {@code amount} is negative (time never goes back)
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must not be negative: " + amount);
    }
    long nanos;
    try {
      nanos = amount.toNanos();
    } catch (ArithmeticException tooLong) {
      throw new IllegalArgumentException("amount must fit in a long of nanoseconds: " + amount,
          tooLong);
    }
    elapsedNanos.addAndGet(nanos);
    return instant();
  }

  /** How much time has passed since the clock was created. */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos.get());
  }

  /** The current instant: the start plus every {@link #advance} so far. */
  @Override
  public Instant instant() {
    return start.plusNanos(elapsedNanos.get());
  }

  /** The current time as a Caffeine ticker reading, in nanoseconds; moves with {@link #instant()}. */
  @Override
  public long read() {
    return START_NANOS + elapsedNanos.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view of this same time in another zone: advancing either moves both. */
  @Override
  public TestClock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(this.zone) ? this : new TestClock(start, elapsedNanos, zone);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TestClock other
        && other.elapsedNanos == elapsedNanos
        && other.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(elapsedNanos) * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return "TestClock[" + instant() + ", " + zone + "]";
  }
}
