package dev.baton.oauth2;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baton.AccessToken;
import java.time.Duration;
import java.time.Instant;

/** What the service's resource-server side makes of a user's token. */
final class Callers {
  private Callers() {}

  /**
   * The caller for a user's JWT, as an authentication filter would build it after verifying it
   * (here it came straight from the test's authorization server).
   */
  static AccessToken caller(String jwt) throws java.text.ParseException {
    JWTClaimsSet claims = SignedJWT.parse(jwt).getJWTClaimsSet();
    return AccessToken.builder(jwt, "web").subject(claims.getSubject()).scopes("ledger.read")
        .expiresAt(claims.getExpirationTime().toInstant()).build();
  }

  /** Waits (polling, bounded) until the wall clock is past {@code instant}. */
  static void awaitPast(Instant instant) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!Instant.now().isAfter(instant)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("the wall clock did not pass " + instant);
      }
      Thread.sleep(20);
    }
  }
}
