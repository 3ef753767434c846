package dev.baton.benchmarks;

import dev.baton.AccessToken;
import dev.baton.TokenSnapshot;
import dev.baton.codec.SealingKeyRing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The data every benchmark uses: one realistic caller, built deterministically. */
final class Fixtures {
  /** A fixed capture instant, so encodings have the same size in every run. */
  static final Instant CAPTURED_AT = Instant.parse("2025-06-01T12:00:00.123456789Z");

  private Fixtures() {}

  /**
   * A caller as an OAuth resource server sees one: an RS256-shaped JWT of about 1 KB (header,
   * payload, 256-byte signature), five scopes, a resource, and ten claims, one of them nested two
   * levels deep. Every benchmark and every peer uses exactly this payload.
   *
   * @param expiresAt when the token expires; benchmarks that capture pass a time well in the future
   */
  static AccessToken token(Instant expiresAt) {
    // Insertion-ordered (Map.of iterates in a per-JVM order), so every run encodes the same bytes.
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", "user-8f14e45f-ceea-467f-a0e6-6c3b4f0e5d21");
    claims.put("iss", "https://auth.example.com/");
    claims.put("aud", List.of("https://api.example.com/"));
    claims.put("iat", expiresAt.minus(Duration.ofHours(1)).getEpochSecond());
    claims.put("auth_time", expiresAt.minus(Duration.ofHours(2)).getEpochSecond());
    claims.put("jti", "b7a1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    claims.put("azp", "reports-web");
    claims.put("email_verified", true);
    claims.put("tenant", "acme-eu-west");
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("rpm", 600L);
    limits.put("burst", 50L);
    Map<String, Object> org = new LinkedHashMap<>();
    org.put("id", "org-42");
    org.put("roles", List.of("admin", "billing"));
    org.put("limits", limits);
    claims.put("org", org);
    return new AccessToken(jwt(expiresAt), "reports-web", SCOPES, expiresAt,
        "https://api.example.com/", claims);
  }

  /** The five scopes of {@link #token}. */
  static final List<String> SCOPES = List.of("reports:read", "reports:write", "exports:read",
      "profile", "offline_access");

  /** A snapshot of {@link #token} captured at {@link #CAPTURED_AT}. */
  static TokenSnapshot snapshot() {
    return TokenSnapshot.of(token(CAPTURED_AT.plus(Duration.ofHours(1))), CAPTURED_AT);
  }

  /** A ring with one fixed AES-256 key (benchmarks only; real keys come from configuration). */
  static SealingKeyRing keyRing() {
    byte[] key = new byte[SealingKeyRing.KEY_BYTES];
    new Random(7).nextBytes(key);
    return SealingKeyRing.of("bench-1", key);
  }

  /** Header, payload and a 256-byte (RSA-2048) signature, base64url as a JWT has them. */
  private static String jwt(Instant expiresAt) {
    long exp = expiresAt.getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"2025-05-rsa-01\"}";
    String payload = "{\"iss\":\"https://auth.example.com/\","
        + "\"sub\":\"user-8f14e45f-ceea-467f-a0e6-6c3b4f0e5d21\","
        + "\"aud\":\"https://api.example.com/\",\"client_id\":\"reports-web\","
        + "\"scope\":\"reports:read reports:write exports:read profile offline_access\","
        + "\"iat\":" + (exp - 3600) + ",\"nbf\":" + (exp - 3600)
        + ",\"auth_time\":" + (exp - 7200) + ",\"exp\":" + exp + ","
        + "\"jti\":\"b7a1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d\",\"azp\":\"reports-web\","
        + "\"email_verified\":true,\"tenant\":\"acme-eu-west\","
        + "\"org\":{\"id\":\"org-42\",\"roles\":[\"admin\",\"billing\"]}}";
    byte[] signature = new byte[256];
    new Random(42).nextBytes(signature);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + '.'
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + '.'
        + b64.encodeToString(signature);
  }
}
