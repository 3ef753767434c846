package dev.baton.spring.boot;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds a request to its caller for exactly the request's duration, after Spring Security has
 * authenticated it: a {@code JwtAuthenticationToken} (a validated JWT) or a
 * {@code BearerTokenAuthentication} (an introspected opaque token) becomes an {@link AccessToken} via
 * {@link AccessToken#fromClaims} from the token value and the claims Spring verified, the client id
 * read from the claim {@code baton.claims.client-id} names when it is set. No token is parsed here.
 *
 * <p>A request without bearer authentication (anonymous, or another mechanism) is passed on
 * untouched: no caller is bound. An authenticated token whose claims Baton cannot map (for example,
 * without a client id) fails the request with Baton's {@link IllegalArgumentException}, which names
 * the claim and never the token: a silent "no caller" would surface only later, in a job.
 *
 * <p>Registered by {@link BatonSecurityAutoConfiguration} as a servlet filter ordered right after
 * Spring Security's filter chain, so it works with any {@code SecurityFilterChain}. Thread-safe.
 */
public final class BearerCallerFilter extends OncePerRequestFilter {
  private final Baton baton;
  private final SecurityContextHolderStrategy securityContext;
  private final @Nullable String clientIdClaim;

  /**
   * Creates the filter, reading the client id from the standard claims (see
   * {@link AccessToken#fromClaims(String, java.util.Map)}).
   *
   * @param baton binds the caller
   * @param securityContext where Spring Security keeps the authentication
   * @throws NullPointerException if an argument is null
   */
  public BearerCallerFilter(Baton baton, SecurityContextHolderStrategy securityContext) {
    this(baton, securityContext, null);
  }

  /**
   * Creates the filter.
   *
   * @param baton binds the caller
   * @param securityContext where Spring Security keeps the authentication
   * @param clientIdClaim the claim that names the client ({@code baton.claims.client-id}), or
   *     {@code null} for the standard claims
   * @throws NullPointerException if {@code baton} or {@code securityContext} is null
   * @throws IllegalArgumentException if {@code clientIdClaim} is blank
   */
  public BearerCallerFilter(
      Baton baton, SecurityContextHolderStrategy securityContext, @Nullable String clientIdClaim) {
    this.baton = Objects.requireNonNull(baton, "baton");
    this.securityContext = Objects.requireNonNull(securityContext, "securityContext");
    if (clientIdClaim != null && clientIdClaim.isBlank()) {
      throw new IllegalArgumentException("clientIdClaim must not be blank");
    }
    this.clientIdClaim = clientIdClaim;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    AccessToken caller = callerOf(securityContext.getContext().getAuthentication(), clientIdClaim);
    if (caller == null) {
      chain.doFilter(request, response);
      return;
    }
    try (Scope bound = baton.bindRequest(caller)) {
      chain.doFilter(request, response);
    }
  }

  /**
   * The caller an authentication stands for: the bearer token of an authenticated OAuth 2.0 token
   * authentication, else {@code null}.
   *
   * @throws IllegalArgumentException if the token's claims break a rule of
   *     {@link AccessToken#fromClaims}
   */
  static @Nullable AccessToken callerOf(
      @Nullable Authentication authentication, @Nullable String clientIdClaim) {
    if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> bearer
        && bearer.isAuthenticated()) {
      String token = bearer.getToken().getTokenValue();
      var claims = JsonClaims.of(bearer.getTokenAttributes());
      return clientIdClaim == null
          ? AccessToken.fromClaims(token, claims)
          : AccessToken.fromClaims(token, claims, clientIdClaim);
    }
    return null;
  }
}
