package dev.baton.jobrunr;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Baton's time in the tests, moved by hand; also the memory store's ticker, so that snapshot TTLs
 * elapse with it. JobRunr keeps its own (real) time for schedules.
 */
final class TestClock extends Clock {
  private final Instant start = Instant.now();
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
  private final long startNanos = System.nanoTime();

  void advance(Duration d) {
    offset.updateAndGet(o -> o.plus(d));
  }

  Ticker ticker() {
    return () -> System.nanoTime() - startNanos + offset.get().toNanos();
  }

  @Override
  public Instant instant() {
    return start.plusNanos(System.nanoTime() - startNanos).plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
