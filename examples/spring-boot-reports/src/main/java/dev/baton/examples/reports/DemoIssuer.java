package dev.baton.examples.reports;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * A stand-in authorization server for the demo: an RSA key made at startup, tokens signed with it,
 * and the decoder that trusts it. The key lives in memory only and dies with the process; outside
 * the demo profile the application trusts the issuer its {@code spring.security.oauth2.resourceserver}
 * properties name. Thread-safe.
 */
final class DemoIssuer {
  static final String ISSUER = "http://127.0.0.1/demo-issuer";

  private final KeyPair keys;
  private final Clock clock;

  DemoIssuer(Clock clock) {
    this.keys = generate();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A token for {@code subject} of {@code clientId} with {@code scope}, valid for {@code ttl}. */
  String mint(String subject, String clientId, String scope, Duration ttl) {
    Instant now = clock.instant();
    var claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(subject)
            .claim("client_id", clientId)
            .claim("scope", scope)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .build();
    var jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(new RSASSASigner(keys.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a demo token", e);
    }
    return jwt.serialize();
  }

  /** A decoder that accepts this issuer's tokens (signature, expiry, issuer). */
  JwtDecoder decoder() {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys.getPublic()).build();
    decoder.setJwtValidator(
        org.springframework.security.oauth2.jwt.JwtValidators.createDefaultWithIssuer(ISSUER));
    return decoder;
  }

  private static KeyPair generate() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }
}
