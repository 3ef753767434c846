package dev.baton.scenarios;

import dev.baton.AccessToken;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Tokens for the scenarios. Each bearer value is distinctive, so leak scans can search for it. */
final class Tokens {
  private Tokens() {}

  static AccessToken of(String bearer, String subject) {
    return new AccessToken(bearer, "test-client", List.of("read"), null, null,
        Map.of("sub", subject));
  }

  static AccessToken expiringAt(String bearer, String subject, Instant expiresAt) {
    return new AccessToken(bearer, "test-client", List.of("read"), expiresAt, null,
        Map.of("sub", subject));
  }
}
