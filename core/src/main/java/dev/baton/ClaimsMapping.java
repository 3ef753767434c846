package dev.baton;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps the claims of a verified access token (RFC 9068) or an introspection response (RFC 7662) to
 * an {@link AccessToken}; the rules are stated on {@link AccessToken#fromClaims}.
 *
 * <p>Messages name claims and the rule they break, never the bearer token, and never a claim's
 * value (claims may carry personal data).
 */
final class ClaimsMapping {

  /** Where the client id is looked for, in this order. */
  static final List<String> CLIENT_ID_CLAIMS = List.of("client_id", "azp", "cid", "appid");

  /** Where the scopes are looked for, in this order. */
  static final List<String> SCOPE_CLAIMS = List.of("scope", "scp");

  private ClaimsMapping() {}

  static AccessToken map(String token, Map<String, ?> rawClaims, boolean introspection) {
    return map(token, rawClaims, introspection, null);
  }

  /**
   * As {@link AccessToken#fromClaims}, with the client id read from {@code clientIdClaim} alone
   * when it is not null.
   */
  static AccessToken map(
      String token, Map<String, ?> rawClaims, boolean introspection,
      @Nullable String clientIdClaim) {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(rawClaims, introspection ? "response" : "claims");
    if (clientIdClaim != null && clientIdClaim.isBlank()) {
      throw new IllegalArgumentException("clientIdClaim must not be blank");
    }
    // Normalized first (numbers as JSON sees them, JSON values only), then read.
    Map<String, @Nullable Object> claims = ClaimValues.copyClaims(rawClaims);
    if (introspection || claims.containsKey("active")) {
      requireActive(claims);
    }
    String clientId = clientIdClaim == null ? clientId(claims) : clientId(claims, clientIdClaim);
    List<String> scopes = scopes(claims);
    Instant expiresAt = expiresAt(claims);
    String resource = resource(claims);
    requireSubjectShape(claims);
    return new AccessToken(token, clientId, scopes, expiresAt, resource, claims);
  }

  private static void requireActive(Map<String, @Nullable Object> claims) {
    if (!claims.containsKey("active")) {
      throw new IllegalArgumentException(
          "introspection response has no 'active' member (RFC 7662 requires it); refused");
    }
    Object active = claims.get("active");
    if (!(active instanceof Boolean flag)) {
      throw new IllegalArgumentException(
          "'active' must be a JSON boolean, found " + jsonType(active) + "; refused");
    }
    if (!flag) {
      throw new IllegalArgumentException(
          "introspection response says the token is not active (active: false); refused");
    }
  }

  private static String clientId(Map<String, @Nullable Object> claims) {
    for (String name : CLIENT_ID_CLAIMS) {
      if (claims.containsKey(name)) {
        // A present but malformed claim is an error, never a reason to try the next name.
        if (claims.get(name) instanceof String id && !id.isBlank()) {
          return id;
        }
        throw new IllegalArgumentException(
            "'" + name + "' must be a non-blank string, found " + describe(claims.get(name)));
      }
    }
    throw new IllegalArgumentException("claims name no client: expected a non-blank string in "
        + "one of " + String.join(", ", CLIENT_ID_CLAIMS));
  }

  /**
   * The client id from the one claim the application named: a non-blank string, or an array
   * holding exactly one (Spring Authorization Server writes {@code aud} as an array). An array of
   * several is refused: picking one would guess whose task it is.
   */
  private static String clientId(Map<String, @Nullable Object> claims, String name) {
    if (!claims.containsKey(name)) {
      throw new IllegalArgumentException("claims name no client: expected a non-blank string in '"
          + name + "' (the configured client id claim)");
    }
    Object value = claims.get(name);
    if (value instanceof List<?> list) {
      if (list.size() != 1) {
        throw new IllegalArgumentException("'" + name + "' (the configured client id claim) holds "
            + list.size() + " values; a client id must be exactly one: configure a claim that "
            + "names only the client");
      }
      value = list.get(0);
      name = name + "[0]";
    }
    if (value instanceof String id && !id.isBlank()) {
      return id;
    }
    throw new IllegalArgumentException(
        "'" + name + "' must be a non-blank string, found " + describe(value));
  }

  private static List<String> scopes(Map<String, @Nullable Object> claims) {
    for (String name : SCOPE_CLAIMS) {
      if (claims.containsKey(name)) {
        return scopes(name, claims.get(name));
      }
    }
    return List.of();
  }

  private static List<String> scopes(String name, @Nullable Object value) {
    Set<String> scopes = new LinkedHashSet<>();
    if (value instanceof String delimited) {
      for (String scope : delimited.split(" ", -1)) { // empty entries are skipped below
        addScope(scopes, scope, name);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String scope)) {
          throw new IllegalArgumentException("'" + name + "[" + i + "]' must be a string, found "
              + jsonType(list.get(i)));
        }
        if (scope.indexOf(' ') >= 0 && !scope.isBlank()) {
          throw new IllegalArgumentException("'" + name + "[" + i + "]' must be one scope, "
              + "without spaces");
        }
        addScope(scopes, scope, name + "[" + i + "]");
      }
    } else {
      throw new IllegalArgumentException("'" + name + "' must be a space-delimited string or an "
          + "array of strings, found " + jsonType(value));
    }
    return new ArrayList<>(scopes);
  }

  private static void addScope(Set<String> scopes, String scope, String name) {
    if (scope.isBlank()) {
      return; // runs of spaces, or an empty element: no scope, nothing granted
    }
    for (int i = 0; i < scope.length(); i++) {
      char c = scope.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("'" + name + "' must hold scope tokens separated by "
            + "single spaces (RFC 6749 section 3.3), found U+" + String.format("%04X", (int) c));
      }
    }
    scopes.add(scope);
  }

  private static @Nullable Instant expiresAt(Map<String, @Nullable Object> claims) {
    if (!claims.containsKey("exp")) {
      return null;
    }
    if (!(claims.get("exp") instanceof Number exp)) {
      throw new IllegalArgumentException("'exp' must be a JSON number of seconds since the epoch "
          + "(RFC 7519 NumericDate), found " + jsonType(claims.get("exp")));
    }
    try {
      // Fractional seconds are allowed; rounding is down, so the token never outlives its claim.
      BigDecimal seconds = exp instanceof BigDecimal decimal ? decimal : new BigDecimal(
          exp instanceof BigInteger big ? big : BigInteger.valueOf(exp.longValue()));
      BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
      int nanos = seconds.subtract(whole).movePointRight(9)
          .setScale(0, RoundingMode.FLOOR).intValueExact();
      return Instant.ofEpochSecond(whole.longValueExact(), nanos);
    } catch (ArithmeticException | DateTimeException e) {
      throw new IllegalArgumentException("'exp' is outside the range of java.time.Instant");
    }
  }

  private static @Nullable String resource(Map<String, @Nullable Object> claims) {
    if (!claims.containsKey("aud")) {
      return null;
    }
    Object aud = claims.get("aud");
    if (aud instanceof String audience) {
      return requireAudience(audience, "aud");
    }
    if (aud instanceof List<?> list) {
      String first = null;
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof String audience)) {
          throw new IllegalArgumentException(
              "'aud[" + i + "]' must be a string, found " + jsonType(list.get(i)));
        }
        requireAudience(audience, "aud[" + i + "]");
        if (first == null) {
          first = audience;
        }
      }
      return first;
    }
    throw new IllegalArgumentException(
        "'aud' must be a string or an array of strings, found " + jsonType(aud));
  }

  private static String requireAudience(String audience, String name) {
    if (audience.isBlank()) {
      throw new IllegalArgumentException("'" + name + "' must not be blank");
    }
    return audience;
  }

  private static void requireSubjectShape(Map<String, @Nullable Object> claims) {
    if (!claims.containsKey("sub")) {
      return;
    }
    Object sub = claims.get("sub");
    if (sub instanceof String subject && subject.isBlank()) {
      throw new IllegalArgumentException("'sub' must not be blank");
    }
    if (!(sub instanceof String) && !(sub instanceof Number)) {
      throw new IllegalArgumentException(
          "'sub' must be a string (RFC 7519) or a number, found " + jsonType(sub));
    }
  }

  private static String describe(@Nullable Object value) {
    return value instanceof String ? "a blank string" : jsonType(value);
  }

  /** The JSON type of a normalized claim value, for messages that must not show the value. */
  private static String jsonType(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return value instanceof List ? "an array" : "an object";
  }
}
