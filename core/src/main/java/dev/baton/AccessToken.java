package dev.baton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An authenticated caller's access token, as the application's authentication layer produced it.
 *
 * <p>Immutable and thread-safe. Every collection is copied on construction and unmodifiable;
 * {@link #claims()} holds JSON values only ({@code String}, {@code Number}, {@code Boolean},
 * {@code null}, {@code List} and {@code Map} with {@code String} keys), so any store can keep it and
 * give back an equal token. Numbers are normalized the way JSON sees them: integral values become
 * {@code Long} (or {@code BigInteger} beyond its range), all others {@code BigDecimal}.
 *
 * <p>The bearer {@link #token()} is a credential: {@link #toString()} shows a short fingerprint
 * instead, and no Baton log line or exception message contains it.
 *
 * @param token the bearer token as presented by the caller; not blank
 * @param clientId the OAuth client the token was issued to; not blank
 * @param scopes the granted scopes, in the order given; may be empty, elements not blank
 * @param expiresAt when the token stops being valid, or {@code null} if it does not expire
 * @param resource the resource (audience) the token is bound to (RFC 8707), or {@code null}
 * @param claims further claims of the token (such as {@code sub}), JSON values only
 */
public record AccessToken(
    String token,
    String clientId,
    List<String> scopes,
    @Nullable Instant expiresAt,
    @Nullable String resource,
    Map<String, @Nullable Object> claims) {

  /**
   * The deepest nesting of lists and maps accepted in {@link #claims()}: claims come from tokens,
   * and tokens are shaped by whoever presents them.
   */
  public static final int MAX_CLAIM_DEPTH = 32;

  /**
   * The longest number accepted in {@link #claims()}, in characters as JSON writes it: room for
   * every {@code double}, and a bound on what a stored value can make a reader expand.
   */
  public static final int MAX_CLAIM_NUMBER_LENGTH = 400;

  /**
   * Validates and copies the components.
   *
   * @throws NullPointerException if a non-nullable component is null, naming it
   * @throws IllegalArgumentException if {@code token} or {@code clientId} is blank, a scope is
   *     blank, a string holds an unpaired surrogate, or {@code claims} holds a value outside the
   *     JSON data model, nests deeper than {@link #MAX_CLAIM_DEPTH}, or holds a number longer than
   *     {@link #MAX_CLAIM_NUMBER_LENGTH} (the message names the claim's path)
   */
  public AccessToken {
    requireNonBlank(token, "token");
    requireNonBlank(clientId, "clientId");
    Objects.requireNonNull(scopes, "scopes");
    for (int i = 0; i < scopes.size(); i++) {
      requireNonBlank(scopes.get(i), "scopes[" + i + "]");
    }
    scopes = List.copyOf(scopes);
    if (resource != null) {
      if (resource.isBlank()) {
        throw new IllegalArgumentException("resource must be null or not blank");
      }
      Utf16.requireWellFormed(resource, "resource");
    }
    claims = ClaimValues.copyClaims(Objects.requireNonNull(claims, "claims"));
  }

  /**
   * A token with the given bearer value and client, no scopes, no expiry, no resource and no claims.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is blank
   */
  public static AccessToken of(String token, String clientId) {
    return new AccessToken(token, clientId, List.of(), null, null, Map.of());
  }

  /**
   * Whether this token has expired at {@code now}, tolerating {@code leeway} of clock skew.
   *
   * <p>A token without {@link #expiresAt()} never expires. Otherwise it is expired from the instant
   * {@code expiresAt + leeway} on (inclusive).
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code leeway} is negative
   */
  public boolean isExpired(Instant now, Duration leeway) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leeway, "leeway");
    if (leeway.isNegative()) {
      throw new IllegalArgumentException("leeway must not be negative: " + leeway);
    }
    // Duration arithmetic, not Instant.plus: expiresAt may be near Instant.MAX.
    return expiresAt != null && Duration.between(expiresAt, now).compareTo(leeway) >= 0;
  }

  /**
   * The {@code sub} (subject) claim when it is a string.
   *
   * @return the subject, or {@code null} when absent or not a string
   */
  public @Nullable String subject() {
    return claims.get("sub") instanceof String sub ? sub : null;
  }

  /**
   * A short, non-reversible fingerprint of the bearer token ({@code sha256:} and 8 hex digits), to
   * correlate log lines without revealing the credential.
   */
  public String fingerprint() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Describes the token without the bearer value: claim names are shown, their values are not. */
  @Override
  public String toString() {
    return "AccessToken[token=" + fingerprint() + ", clientId=" + clientId + ", scopes=" + scopes
        + ", expiresAt=" + expiresAt + ", resource=" + resource + ", claims=" + claims.keySet()
        + "]";
  }

  static void requireNonBlank(@Nullable String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    Utf16.requireWellFormed(value, name);
  }
}
