package dev.baton.adversarial;

import dev.baton.AccessToken;
import java.util.List;
import java.util.Map;

/** Tokens with distinctive bearer values, so that leak scans can search for them. */
final class Adversaries {
  private Adversaries() {}

  static AccessToken token(String bearer, String subject) {
    return new AccessToken(bearer, "adversary-client", List.of("read"), null, null,
        Map.of("sub", subject));
  }
}
