package dev.baton.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TestClockTest {
  private final TestClock clock = TestClock.create();

  @Test
  void create_startsAtTheDefaultStart() {
    assertThat(clock.instant()).isEqualTo(TestClock.DEFAULT_START);
  }

  @Test
  void advance_movesInstantAndTickerTogether() {
    long ticks = clock.read();

    clock.advance(Duration.ofMinutes(5));

    assertThat(clock.instant()).isEqualTo(TestClock.DEFAULT_START.plus(Duration.ofMinutes(5)));
    assertThat(clock.read() - ticks).isEqualTo(Duration.ofMinutes(5).toNanos());
    assertThat(clock.elapsed()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void advance_negative_isRejected() {
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }

  @Test
  void withZone_sharesTheSameTime() {
    TestClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofSeconds(3));

    assertThat(paris.instant()).isEqualTo(clock.instant());
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void startingAt_startsThere() {
    Instant start = Instant.parse("2026-03-01T12:00:00Z");

    assertThat(TestClock.startingAt(start).instant()).isEqualTo(start);
  }
}
