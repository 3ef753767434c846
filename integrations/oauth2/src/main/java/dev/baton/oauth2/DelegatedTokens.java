package dev.baton.oauth2;

import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.baton.AccessToken;
import dev.baton.DelegationFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns an issued delegated token into an {@link AccessToken}; see
 * {@link TokenExchangeDelegation} for the rules (JWT payload as claims, unverified; opaque tokens
 * get the caller's {@code sub} and the requested actor).
 */
final class DelegatedTokens {
  private final String serviceClientId;
  private final List<String> requestedScopes;
  private final @Nullable String requestedAudience;

  DelegatedTokens(String serviceClientId, List<String> requestedScopes,
      @Nullable String requestedAudience) {
    this.serviceClientId = serviceClientId;
    this.requestedScopes = requestedScopes;
    this.requestedAudience = requestedAudience;
  }

  AccessToken toAccessToken(String value, Instant expiresAt, @Nullable List<String> grantedScopes,
      AccessToken caller, boolean actorSent) {
    Map<String, @Nullable Object> claims = jwtClaims(value);
    Instant expiry = expiresAt;
    List<String> scopes = grantedScopes;
    String clientId = serviceClientId;
    String resource = requestedAudience;
    if (claims != null) {
      if (claims.get("exp") instanceof Number exp && exp.longValue() < expiry.getEpochSecond()) {
        expiry = Instant.ofEpochSecond(exp.longValue());
      }
      if (scopes == null) {
        scopes = scopesOf(claims.get("scope") != null ? claims.get("scope") : claims.get("scp"));
      }
      Object cid = claims.get("client_id") != null ? claims.get("client_id") : claims.get("azp");
      if (cid instanceof String s && !s.isBlank()) {
        clientId = s;
      }
      if (resource == null) {
        Object aud = claims.get("aud");
        if (aud instanceof String s && !s.isBlank()) {
          resource = s;
        } else if (aud instanceof List<?> list && !list.isEmpty()
            && list.get(0) instanceof String s && !s.isBlank()) {
          resource = s;
        }
      }
    } else {
      claims = new LinkedHashMap<>();
      String subject = caller.subject();
      if (subject != null) {
        claims.put("sub", subject);
      }
      if (actorSent) {
        claims.put("act", Map.of("sub", serviceClientId));
      }
    }
    try {
      return AccessToken.builder(value, clientId)
          .scopes(scopes == null ? requestedScopes : scopes).expiresAt(expiry).resource(resource)
          .claims(claims).build();
    } catch (IllegalArgumentException e) {
      // AccessToken's messages name a claim's path, never the token.
      throw new DelegationFailedException(DelegationFailedException.Reason.INVALID_RESPONSE,
          "the delegated token's claims are not usable: " + e.getMessage(), null);
    }
  }

  /** The payload of a signed or plain JWT, numbers as JSON has them; null for anything else. */
  private static @Nullable Map<String, @Nullable Object> jwtClaims(String value) {
    if (value.chars().filter(c -> c == '.').count() != 2) {
      return null; // opaque, or a JWE (five parts), whose payload this service cannot read
    }
    JWT jwt;
    JWTClaimsSet set;
    try {
      jwt = JWTParser.parse(value);
      if (jwt instanceof EncryptedJWT) {
        return null;
      }
      set = jwt.getJWTClaimsSet();
    } catch (java.text.ParseException notAJwt) {
      return null; // three dot-separated parts that are not a JWT: treat as opaque
    }
    Map<String, @Nullable Object> claims = new LinkedHashMap<>();
    set.toJSONObject().forEach((name, claim) -> claims.put(name, jsonValue(claim)));
    return claims;
  }

  /** Dates (exp, iat, nbf as Nimbus parses them) back to epoch seconds. */
  @SuppressWarnings("JavaUtilDate") // Nimbus's type; turned into JSON's number at once
  private static @Nullable Object jsonValue(@Nullable Object claim) {
    return claim instanceof Date date ? date.getTime() / 1000 : claim;
  }

  private static @Nullable List<String> scopesOf(@Nullable Object scope) {
    if (scope instanceof String s) {
      List<String> out = new ArrayList<>();
      for (String part : s.split(" ", -1)) {
        if (!part.isEmpty() && !out.contains(part)) {
          out.add(part);
        }
      }
      return out;
    }
    if (scope instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object part : list) {
        if (part instanceof String s && !s.isBlank() && !out.contains(s)) {
          out.add(s);
        }
      }
      return out;
    }
    return null;
  }
}
