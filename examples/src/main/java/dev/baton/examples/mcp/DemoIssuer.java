package dev.baton.examples.mcp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.baton.AccessToken;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * The demo's authorization server and resource-server verifier in one: an RS256 key pair made at
 * start, tokens issued for demo users, and verification of signature, issuer, audience and expiry
 * against an injected clock.
 *
 * <p>Thread-safe.
 */
public final class DemoIssuer {
  /** The {@code iss} of every token this issuer makes. */
  public static final String ISSUER = "https://issuer.demo.baton.dev";
  /** The {@code aud} every token must carry: the demo's MCP server and its downstream API. */
  public static final String AUDIENCE = "https://reports.demo.baton.dev";

  private final RSAKey key;
  private final RSASSAVerifier verifier;
  private final Clock clock;

  private DemoIssuer(RSAKey key, Clock clock) throws JOSEException {
    this.key = key;
    this.verifier = new RSASSAVerifier(key.toRSAPublicKey());
    this.clock = clock;
  }

  /** An issuer with a fresh 2048-bit RSA key, reading time from {@code clock}. */
  public static DemoIssuer create(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    try {
      return new DemoIssuer(new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString())
          .generate(), clock);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot make the demo's RSA key", e);
    }
  }

  /**
   * A signed token for {@code subject} of client {@code clientId}, valid for {@code validity} from
   * now.
   */
  public String issue(String subject, String clientId, Duration validity) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .claim("client_id", clientId)
        .claim("scope", "reports:write reports:read")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(validity)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a demo token", e);
    }
    return jwt.serialize();
  }

  /**
   * The caller a bearer token stands for, once its signature, issuer, audience and expiry check.
   *
   * @throws IllegalArgumentException if the token is malformed, forged, tampered with, for another
   *     issuer or audience, or expired (the message never quotes the token)
   */
  public AccessToken verify(String token) {
    Objects.requireNonNull(token, "token");
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new IllegalArgumentException("bearer token is not a signed JWT");
    }
    try {
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        throw new IllegalArgumentException("bearer token signature does not verify");
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("bearer token signature does not verify");
    }
    if (!ISSUER.equals(claims.getIssuer())) {
      throw new IllegalArgumentException("bearer token has another issuer");
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
      throw new IllegalArgumentException("bearer token is not for this audience");
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null || !expiry.toInstant().isAfter(clock.instant())) {
      throw new IllegalArgumentException("bearer token has expired");
    }
    return AccessToken.fromClaims(token, claims.toJSONObject());
  }
}
