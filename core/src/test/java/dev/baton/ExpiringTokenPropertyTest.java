package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The precomputed deadline ({@link ExpiringToken}) answers exactly as
 * {@link AccessToken#isExpired(Instant, Duration)}, the contract, for any expiry, leeway and now:
 * the exact comparison, the millisecond fast path (with its fallback inside a deadline's own
 * millisecond), and whole bindings read through clocks whose instants carry nanoseconds.
 */
class ExpiringTokenPropertyTest {
  private static final BigInteger BILLION = BigInteger.valueOf(1_000_000_000);
  private static final BigInteger MIN_NANOS = nanos(Instant.MIN);
  private static final BigInteger MAX_NANOS = nanos(Instant.MAX);

  private static final Gen<Instant> EXPIRIES = expiries();
  private static final Gen<Duration> LEEWAYS = leeways();
  /** A now near the deadline (within a few milliseconds, often on it) or anywhere. */
  private static final Gen<Long> OFFSETS = Generate.frequency(List.of(
      Pair.of(3, longs().between(-3_000_000L, 3_000_000L)),
      Pair.of(2, Generate.pick(List.of(0L, -1L, 1L, -1_000_000L, 1_000_000L, 999_999L,
          -999_999L))),
      Pair.of(1, longs().all())));

  @Test
  void exactRule_agreesWithAccessTokenIsExpired() {
    qt().withExamples(20_000).forAll(EXPIRIES, LEEWAYS, OFFSETS).checkAssert(
        (expiresAt, leeway, offset) -> {
          AccessToken token = token(expiresAt);
          Instant now = nearDeadline(expiresAt, leeway, offset);
          ExpiringToken deadline = ExpiringToken.of(token, Clock.systemUTC(), leeway);

          assertThat(deadline.isExpiredAt(now)).isEqualTo(token.isExpired(now, leeway));
        });
  }

  @Test
  void millisecondFastPath_agreesWithAccessTokenIsExpired() {
    qt().withExamples(20_000).forAll(EXPIRIES, LEEWAYS, OFFSETS).checkAssert(
        (expiresAt, leeway, offset) -> {
          AccessToken token = token(expiresAt);
          Instant now = nearDeadline(expiresAt, leeway, offset);
          BigInteger millis = floorMillis(now);
          if (millis.bitLength() >= Long.SIZE) {
            return; // no clock's millis() can say this instant
          }
          ExpiringToken deadline = ExpiringToken.of(token, Clock.systemUTC(), leeway);

          assertThat(deadline.isExpiredAtMillis(millis.longValueExact(),
              Clock.fixed(now, ZoneOffset.UTC))).isEqualTo(token.isExpired(now, leeway));
        });
  }

  @Test
  void taskContext_onAClockWithNanoseconds_readsAsTheContractSays() {
    qt().withExamples(5_000).forAll(EXPIRIES, LEEWAYS, OFFSETS).checkAssert(
        (expiresAt, leeway, offset) -> {
          AccessToken token = token(expiresAt);
          Instant now = nearDeadline(expiresAt, leeway, offset);
          var context = new TaskContext(new TaskKey("local", "1"), token, Map.of(),
              new NanosecondClock(now), leeway, new CallerRules(RestoreFailurePolicy.FAIL,
                  new BatonEvents(BatonListener.NONE), new LocalTaskIds()));

          assertThat(context.accessToken())
              .isEqualTo(token.isExpired(now, leeway) ? Optional.empty() : Optional.of(token));
        });
  }

  @Test
  void requestBinding_onAClockWithNanoseconds_readsAsTheContractSays() {
    qt().withExamples(5_000).forAll(EXPIRIES, LEEWAYS, OFFSETS).checkAssert(
        (expiresAt, leeway, offset) -> {
          AccessToken token = token(expiresAt);
          Instant now = nearDeadline(expiresAt, leeway, offset);
          Baton baton = Baton.builder().clock(new NanosecondClock(now)).leeway(leeway).build();

          try (Scope request = baton.bindRequest(token)) {
            assertThat(Baton.currentToken())
                .isEqualTo(token.isExpired(now, leeway) ? Optional.empty() : Optional.of(token));
          }
        });
  }

  /** A custom clock as an application might write one: nanosecond instants, default millis(). */
  private static final class NanosecondClock extends Clock {
    private final Instant now;

    NanosecondClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static AccessToken token(Instant expiresAt) {
    return AccessToken.builder("t0k3n", "client").expiresAt(expiresAt).build();
  }

  /** {@code expiresAt + leeway + offset} nanoseconds, held within the range of Instant. */
  private static Instant nearDeadline(Instant expiresAt, Duration leeway, long offsetNanos) {
    BigInteger nanos = nanos(expiresAt)
        .add(BigInteger.valueOf(leeway.getSeconds()).multiply(BILLION))
        .add(BigInteger.valueOf(leeway.getNano()))
        .add(BigInteger.valueOf(offsetNanos))
        .max(MIN_NANOS).min(MAX_NANOS);
    BigInteger[] secondsAndNanos = nanos.divideAndRemainder(BILLION);
    BigInteger seconds = secondsAndNanos[0];
    BigInteger nano = secondsAndNanos[1];
    if (nano.signum() < 0) {
      seconds = seconds.subtract(BigInteger.ONE);
      nano = nano.add(BILLION);
    }
    return Instant.ofEpochSecond(seconds.longValueExact(), nano.longValueExact());
  }

  private static BigInteger nanos(Instant instant) {
    return BigInteger.valueOf(instant.getEpochSecond()).multiply(BILLION)
        .add(BigInteger.valueOf(instant.getNano()));
  }

  private static BigInteger floorMillis(Instant instant) {
    return BigInteger.valueOf(instant.getEpochSecond()).multiply(BigInteger.valueOf(1000))
        .add(BigInteger.valueOf(instant.getNano() / 1_000_000));
  }

  /** Whole seconds, whole milliseconds and odd nanoseconds, near today, anywhere, at the edges. */
  private static Gen<Instant> expiries() {
    Gen<Integer> nanos = Generate.frequency(List.of(
        Pair.of(1, Generate.constant(0)),
        Pair.of(1, integers().between(0, 999).map(ms -> ms * 1_000_000)),
        Pair.of(2, integers().between(0, 999_999_999))));
    Gen<Long> seconds = Generate.frequency(List.of(
        Pair.of(3, longs().between(-10_000_000_000L, 10_000_000_000L)),
        Pair.of(1, longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())),
        Pair.of(1, Generate.pick(List.of(Instant.MIN.getEpochSecond(),
            Instant.MAX.getEpochSecond(), Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000,
            Long.MAX_VALUE / 1000 + 1, Long.MIN_VALUE / 1000 - 1, -1L, 0L)))));
    return seconds.zip(nanos, Instant::ofEpochSecond);
  }

  /** None, whole and odd amounts, and "forever" (the longest Duration). */
  private static Gen<Duration> leeways() {
    return Generate.frequency(List.of(
        Pair.of(1, Generate.constant(Duration.ZERO)),
        Pair.of(2, longs().between(0, 120_000).map(Duration::ofMillis)),
        Pair.of(2, longs().between(0, 120_000_000_000L).map(Duration::ofNanos)),
        Pair.of(1, longs().between(0, Long.MAX_VALUE).zip(integers().between(0, 999_999_999),
            Duration::ofSeconds)),
        Pair.of(1, Generate.constant(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))));
  }
}
