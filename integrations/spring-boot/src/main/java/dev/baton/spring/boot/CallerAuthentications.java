package dev.baton.spring.boot;

import dev.baton.AccessToken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenAuthenticationConverter;

/**
 * Rebuilds Spring Security's {@link Authentication} for a restored caller from the
 * {@link AccessToken} Baton kept (the bearer token and the claims the resource server verified),
 * mapped to authorities as the application's resource server maps them:
 *
 * <ul>
 *   <li>JWT applications: a {@link Jwt} of the token and its claims (timestamps as {@code Instant}s,
 *       as Spring's decoder hands them out; a single header {@code baton: restored}, since headers
 *       are not kept) converted by the application's {@code JwtAuthenticationConverter} bean (Boot
 *       defines one from {@code spring.security.oauth2.resourceserver.jwt.authorities-claim-name}
 *       and {@code authority-prefix}), else by Spring's default ({@code SCOPE_} + each scope);
 *   <li>opaque-token applications: an {@link OAuth2IntrospectionAuthenticatedPrincipal} of the
 *       claims converted by the application's {@link OpaqueTokenAuthenticationConverter} bean, else
 *       a {@code BearerTokenAuthentication} with {@code SCOPE_} authorities and
 *       {@code FACTOR_BEARER}, as Spring's introspector and authentication provider grant them.
 * </ul>
 *
 * Nothing is verified here: the claims were verified when the caller's request was authenticated,
 * and Baton checks the token's expiry on every read. Thread-safe if the converters are.
 */
final class CallerAuthentications {
  private static final List<String> TIMESTAMPS = List.of("exp", "iat", "nbf");

  private final @Nullable Converter<Jwt, ? extends Authentication> jwtConverter;
  private final @Nullable OpaqueTokenAuthenticationConverter opaqueConverter;

  private CallerAuthentications(
      @Nullable Converter<Jwt, ? extends Authentication> jwtConverter,
      @Nullable OpaqueTokenAuthenticationConverter opaqueConverter) {
    this.jwtConverter = jwtConverter;
    this.opaqueConverter = opaqueConverter;
  }

  /** JWT mapping with {@code converter}. */
  static CallerAuthentications jwt(Converter<Jwt, ? extends Authentication> converter) {
    return new CallerAuthentications(Objects.requireNonNull(converter, "converter"), null);
  }

  /** Opaque-token mapping with {@code converter}, or Spring's default when null. */
  static CallerAuthentications opaque(@Nullable OpaqueTokenAuthenticationConverter converter) {
    return new CallerAuthentications(null, converter);
  }

  /**
   * The caller's authentication, authenticated.
   *
   * @throws IllegalStateException if the application's converter returns null or an
   *     unauthenticated authentication
   */
  Authentication of(AccessToken caller) {
    Map<String, Object> claims = claims(caller);
    Authentication authentication;
    if (jwtConverter != null) {
      Jwt jwt =
          Jwt.withTokenValue(caller.token())
              .header("baton", "restored")
              .claims(all -> all.putAll(claims))
              .build();
      authentication = jwtConverter.convert(jwt);
    } else {
      var principal = new OAuth2IntrospectionAuthenticatedPrincipal(claims, scopeAuthorities(caller));
      if (opaqueConverter != null) {
        authentication = opaqueConverter.convert(caller.token(), principal);
      } else {
        authentication = bearer(caller, principal);
      }
    }
    if (authentication == null || !authentication.isAuthenticated()) {
      throw new IllegalStateException(
          "the application's authentication converter returned no authenticated authentication"
              + " for a restored caller");
    }
    return authentication;
  }

  private static Authentication bearer(AccessToken caller, OAuth2AuthenticatedPrincipal principal) {
    Instant issuedAt = principal.getAttribute("iat");
    var token =
        new OAuth2AccessToken(
            OAuth2AccessToken.TokenType.BEARER, caller.token(), issuedAt, caller.expiresAt());
    // As Spring Security's OpaqueTokenAuthenticationProvider grants them.
    var authorities = new LinkedHashSet<GrantedAuthority>(principal.getAuthorities());
    authorities.add(FactorGrantedAuthority.fromAuthority(FactorGrantedAuthority.BEARER_AUTHORITY));
    return new BearerTokenAuthentication(principal, token, authorities);
  }

  private static Collection<GrantedAuthority> scopeAuthorities(AccessToken caller) {
    var authorities = new ArrayList<GrantedAuthority>(caller.scopes().size());
    for (String scope : caller.scopes()) {
      authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope));
    }
    return authorities;
  }

  /**
   * The token's claims as Spring hands them out (timestamps as {@code Instant}s), plus
   * {@code client_id} and {@code scope} from the token when its claims lack them (a token made with
   * {@code AccessToken.builder}).
   */
  private static Map<String, Object> claims(AccessToken caller) {
    var claims = new LinkedHashMap<String, Object>();
    caller
        .claims()
        .forEach(
            (name, value) -> {
              if (value == null) {
                return; // Spring's claim maps hold no nulls
              }
              if (TIMESTAMPS.contains(name) && value instanceof Number seconds) {
                claims.put(name, Instant.ofEpochSecond(seconds.longValue()));
              } else {
                claims.put(name, value);
              }
            });
    if (caller.expiresAt() != null) {
      claims.put("exp", caller.expiresAt());
    }
    // A token made by hand (AccessToken.builder) may carry its client and scopes outside claims.
    claims.putIfAbsent("client_id", caller.clientId());
    if (!claims.containsKey("scope") && !claims.containsKey("scp") && !caller.scopes().isEmpty()) {
      claims.put("scope", String.join(" ", caller.scopes()));
    }
    return claims;
  }
}
