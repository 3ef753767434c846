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
 * <p>Make one from the claims of a token your framework has verified with {@link #fromClaims} (JWT
 * access tokens) or {@link #fromIntrospection} (RFC 7662 responses), or by hand with
 * {@link #builder}.
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
      String scope = scopes.get(i);
      // The name is built only for a scope that fails (it was a string per scope per token).
      if (scope == null || scope.isBlank() || Utf16.unpairedSurrogateAt(scope) >= 0) {
        requireNonBlank(scope, "scopes[" + i + "]");
      }
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
   * A token built from the claims of an access token that the caller has already verified: the
   * payload of a JWT access token (RFC 9068) or an introspection response (RFC 7662).
   *
   * <p><b>This method does not verify anything</b>: no signature, issuer, audience, {@code nbf} or
   * {@code exp} check. Pass only claims that your JWT library or introspection client has accepted.
   * The mapping, in the order the claims are read:
   * <ul>
   *   <li>{@code active}: when present, the map is an introspection response and must say
   *       {@code active: true} (a JSON boolean); anything else is refused. Use
   *       {@link #fromIntrospection} to also refuse a response that lacks {@code active}.
   *   <li>{@link #clientId()}: the first present of {@code client_id} (RFC 9068, RFC 7662),
   *       {@code azp} (OpenID Connect; Keycloak, Auth0, Google, Entra ID v2), {@code cid} (Okta) and
   *       {@code appid} (Entra ID v1). A present claim must be a non-blank string; the next name is
   *       never tried in its place. None present is an error: Spring Authorization Server's default
   *       JWT names its client only in {@code aud}; name that claim with
   *       {@link #fromClaims(String, Map, String)}, add {@code client_id} with a token
   *       customizer, or introspect.
   *   <li>{@link #scopes()}: {@code scope}, else {@code scp} (Okta, Entra ID), each either a
   *       space-delimited string (RFC 6749) or an array of strings (Okta, Spring Authorization
   *       Server). Empty entries are skipped and duplicates dropped, in order; absent means none.
   *   <li>{@link #expiresAt()}: {@code exp}, a JSON number of seconds since the epoch (fractions
   *       rounded down); a string such as Google tokeninfo's is refused. Absent means no expiry.
   *   <li>{@link #resource()}: {@code aud} when it is a string; when it is an array, its first
   *       element (the API the client asked for comes first in Auth0's tokens); absent or an empty
   *       array means none. Every audience stays in {@code claims().get("aud")}.
   *   <li>{@code sub}, when present, must be a non-blank string or a number (see
   *       {@link #subject()}).
   *   <li>{@link #claims()}: every claim given, unchanged apart from number normalization.
   * </ul>
   *
   * @param token the bearer token the claims belong to; not blank
   * @param claims the verified claims, JSON values only
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a rule above is broken (the message names the claim and the
   *     rule, never the token or a claim's value), or as {@link #AccessToken the constructor} does
   */
  public static AccessToken fromClaims(String token, Map<String, ?> claims) {
    return ClaimsMapping.map(token, claims, false);
  }

  /**
   * A token built from verified claims as {@link #fromClaims(String, Map)} does, except that the
   * client id is read from {@code clientIdClaim} only, for issuers that name the client elsewhere
   * (Spring Authorization Server's default access tokens name it only in {@code aud}; pass
   * {@code "aud"}). The claim must hold a non-blank string or an array of exactly one; an array of
   * several (a token for more than one audience) is refused rather than guessed from, and so is a
   * token without the claim (the standard names are not tried in its place).
   *
   * @param token the bearer token the claims belong to; not blank
   * @param claims the verified claims, JSON values only
   * @param clientIdClaim the name of the claim that holds the client id; not blank
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code clientIdClaim} is blank, the claim is missing or
   *     holds anything but one non-blank string, or as {@link #fromClaims(String, Map)} says
   */
  public static AccessToken fromClaims(String token, Map<String, ?> claims, String clientIdClaim) {
    return ClaimsMapping.map(
        token, claims, false, Objects.requireNonNull(clientIdClaim, "clientIdClaim"));
  }

  /**
   * A token built from an RFC 7662 introspection response for {@code token}, mapped as
   * {@link #fromClaims} does, after requiring {@code "active": true}.
   *
   * <p>Does not verify anything: pass only a response your introspection client received from the
   * authorization server over an authenticated connection.
   *
   * @param token the bearer token that was introspected; not blank
   * @param response the introspection response's members, JSON values only
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code active} is missing or not {@code true}, or as
   *     {@link #fromClaims} says
   */
  public static AccessToken fromIntrospection(String token, Map<String, ?> response) {
    return ClaimsMapping.map(token, response, true);
  }

  /**
   * {@link #fromIntrospection(String, Map)} with the client id read from {@code clientIdClaim} only,
   * as {@link #fromClaims(String, Map, String)} reads it.
   *
   * @param token the bearer token that was introspected; not blank
   * @param response the introspection response's members, JSON values only
   * @param clientIdClaim the name of the member that holds the client id; not blank
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException as {@link #fromIntrospection(String, Map)} and
   *     {@link #fromClaims(String, Map, String)} say
   */
  public static AccessToken fromIntrospection(
      String token, Map<String, ?> response, String clientIdClaim) {
    return ClaimsMapping.map(
        token, response, true, Objects.requireNonNull(clientIdClaim, "clientIdClaim"));
  }

  /**
   * A builder for a hand-made token (tests, service accounts, tokens from a non-JWT source),
   * starting with no scopes, no expiry, no resource and no claims.
   *
   * @param token the bearer token; validated by {@link AccessTokenBuilder#build()}
   * @param clientId the client the token was issued to; validated by
   *     {@link AccessTokenBuilder#build()}
   * @throws NullPointerException if an argument is null
   */
  public static AccessTokenBuilder builder(String token, String clientId) {
    return new AccessTokenBuilder(token, clientId);
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
   * The {@code sub} (subject) claim as text: a string as it is, a number as JSON writes it (some
   * issuers number their users, {@code "sub": 1001} reads {@code "1001"}).
   *
   * <p>The text does not tell {@code 1} from {@code "1"}; code that must (to key data by caller)
   * compares {@code claims().get("sub")}.
   *
   * @return the subject, or {@code null} when {@code sub} is absent or neither a string nor a
   *     number (such a token names no subject; {@link #fromClaims} refuses it)
   */
  public @Nullable String subject() {
    Object sub = claims.get("sub");
    if (sub instanceof String subject) {
      return subject;
    }
    // Claims hold Long, BigInteger or BigDecimal only; their toString is their JSON text.
    return sub instanceof Number number ? number.toString() : null;
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
