package dev.baton.micrometer;

import dev.baton.AccessToken;
import dev.baton.Baton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Tokens, a hand-moved clock and a Baton for the tests. */
final class Callers {
  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private Callers() {}

  static AccessToken token(String name) {
    return new AccessToken("token-" + name, "client", List.of(), NOW.plus(Duration.ofHours(1)),
        null, Map.of("sub", name));
  }

  static AccessToken token(String name, Instant expiresAt) {
    return new AccessToken("token-" + name, "client", List.of(), expiresAt, null,
        Map.of("sub", name));
  }

  /** A clock that tests move by hand; thread-safe. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);

    void advance(Duration duration) {
      now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("fixed zone");
    }
  }

  static Baton baton(Clock clock) {
    return Baton.builder().clock(clock).build();
  }
}
