package dev.baton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A bound token with its expiry deadline worked out once, so that every read
 * ({@link Baton#currentToken()}, {@link TaskContext#accessToken()}) costs one clock read and a
 * comparison instead of {@code Duration} arithmetic.
 *
 * <p>The rule is exactly {@link AccessToken#isExpired(Instant, Duration)}: expired from the instant
 * {@code expiresAt + leeway} on, inclusive, computed without overflow (a deadline past
 * {@link Instant#MAX} is never reached).
 *
 * <p><b>Millisecond fast path.</b> On the JDK's system clock, {@code millis()} is
 * {@code System.currentTimeMillis()}, the floor of {@code instant()} in milliseconds, and is
 * cheaper to read (no {@code Instant}). With {@code m} the floor of now and {@code d} the floor of
 * the deadline: {@code m > d} means expired, {@code m < d} means valid, and {@code m == d} decides
 * alone only when the deadline is a whole millisecond; otherwise (the deadline has a sub-millisecond
 * part, or does not fit a {@code long} of milliseconds) that one millisecond falls back to the exact
 * {@code instant()} comparison. Other clocks are read with {@code instant()} only: a custom clock's
 * {@code millis()} may disagree with its {@code instant()} (the JDK's own offset clock rounds the
 * offset and the base separately; {@code Instant.MAX.toEpochMilli()} throws).
 */
final class ExpiringToken {
  private static final Class<? extends Clock> SYSTEM_CLOCK = Clock.systemUTC().getClass();

  private final AccessToken token;
  private final Optional<AccessToken> present;
  private final Clock clock;
  private final Duration leeway;
  private final boolean millisExact;
  /** No deadline: the token has no expiry, or its deadline lies past {@link Instant#MAX}. */
  private final boolean never;
  private final long deadlineSeconds;
  private final int deadlineNanos;
  /** The deadline's floor in milliseconds, saturated to the range of a long. */
  private final long deadlineMillis;
  /** Whether {@link #deadlineMillis} is the deadline exactly (a whole, unsaturated millisecond). */
  private final boolean wholeMillis;

  private ExpiringToken(AccessToken token, Clock clock, Duration leeway) {
    this.token = token;
    this.present = Optional.of(token);
    this.clock = clock;
    this.leeway = leeway;
    this.millisExact = clock.getClass() == SYSTEM_CLOCK;
    Instant expiresAt = token.expiresAt();
    long seconds = 0;
    int nanos = 0;
    boolean none = expiresAt == null;
    if (expiresAt != null) {
      nanos = expiresAt.getNano() + leeway.toNanosPart();
      long carry = nanos / 1_000_000_000;
      nanos %= 1_000_000_000;
      try {
        seconds = Math.addExact(Math.addExact(expiresAt.getEpochSecond(), leeway.toSeconds()),
            carry);
        none = seconds > Instant.MAX.getEpochSecond();
      } catch (ArithmeticException pastAnyInstant) {
        none = true;
      }
    }
    this.never = none;
    this.deadlineSeconds = seconds;
    this.deadlineNanos = nanos;
    long millis;
    boolean whole = nanos % 1_000_000 == 0;
    try {
      // As Instant.toEpochMilli: a negative second borrows first, so the floor of an instant
      // just above Long.MIN_VALUE milliseconds does not overflow on the way.
      millis = seconds < 0 && nanos > 0
          ? Math.addExact(Math.multiplyExact(seconds + 1, 1000L), nanos / 1_000_000 - 1000)
          : Math.addExact(Math.multiplyExact(seconds, 1000L), nanos / 1_000_000);
    } catch (ArithmeticException outOfRange) {
      millis = seconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
      whole = false;
    }
    this.deadlineMillis = millis;
    this.wholeMillis = whole;
  }

  /**
   * The token with its deadline for {@code clock} and {@code leeway}, or null for no token.
   *
   * @param leeway not negative (the builder checks)
   */
  static @Nullable ExpiringToken of(@Nullable AccessToken token, Clock clock, Duration leeway) {
    return token == null ? null : new ExpiringToken(token, clock, leeway);
  }

  AccessToken token() {
    return token;
  }

  /** Whether this deadline is the one {@link #of} would work out for {@code clock} and leeway. */
  boolean isFor(Clock clock, Duration leeway) {
    // Equal clocks give the same instants (Clock.equals), so the deadline reads the same.
    return this.clock.equals(clock) && this.leeway.equals(leeway);
  }

  /** This token with its deadline for {@code clock} and {@code leeway}: this when it is that. */
  ExpiringToken forClock(Clock clock, Duration leeway) {
    return isFor(clock, leeway) ? this : new ExpiringToken(token, clock, leeway);
  }

  /** The token, or empty once it has expired by the clock. */
  Optional<AccessToken> validToken() {
    return isExpired() ? Optional.empty() : present;
  }

  boolean isExpired() {
    if (never) {
      return false;
    }
    if (millisExact) {
      return isExpiredAtMillis(clock.millis(), clock);
    }
    return isExpiredAt(clock.instant());
  }

  /**
   * The rule from {@code nowMillis}, the floor of {@code exact.instant()} in milliseconds, reading
   * that instant only within the deadline's own millisecond when the deadline is not whole.
   */
  boolean isExpiredAtMillis(long nowMillis, Clock exact) {
    if (never) {
      return false;
    }
    if (nowMillis != deadlineMillis) {
      return nowMillis > deadlineMillis;
    }
    return wholeMillis || isExpiredAt(exact.instant());
  }

  /** The exact rule: expired when {@code now >= expiresAt + leeway}. */
  boolean isExpiredAt(Instant now) {
    if (never) {
      return false;
    }
    long seconds = now.getEpochSecond();
    return seconds != deadlineSeconds ? seconds > deadlineSeconds : now.getNano() >= deadlineNanos;
  }
}
