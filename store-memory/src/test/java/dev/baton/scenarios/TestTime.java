package dev.baton.scenarios;

import java.time.Duration;
import java.time.Instant;

/**
 * One test's time: the {@link MutableClock} Baton checks expiry with and the {@link ManualTicker}
 * the memory store runs TTLs on, moved together (or apart, to test each side alone).
 */
public final class TestTime {
  public static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  public final MutableClock clock = new MutableClock(START);
  public final ManualTicker ticker = new ManualTicker();

  /** Moves the clock and the ticker forward together. */
  public void advance(Duration duration) {
    clock.advance(duration);
    ticker.advance(duration);
  }

  /** The clock's current instant. */
  public Instant now() {
    return clock.instant();
  }
}
