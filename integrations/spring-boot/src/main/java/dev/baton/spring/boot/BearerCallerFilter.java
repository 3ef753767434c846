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
 * {@link AccessToken#fromClaims} from the token value and the claims Spring verified. No token is
 * parsed here.
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

  /**
   * Creates the filter.
   *
   * @param baton binds the caller
   * @param securityContext where Spring Security keeps the authentication
   * @throws NullPointerException if an argument is null
   */
  public BearerCallerFilter(Baton baton, SecurityContextHolderStrategy securityContext) {
    this.baton = Objects.requireNonNull(baton, "baton");
    this.securityContext = Objects.requireNonNull(securityContext, "securityContext");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    AccessToken caller = callerOf(securityContext.getContext().getAuthentication());
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
  static @Nullable AccessToken callerOf(@Nullable Authentication authentication) {
    if (authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> bearer
        && bearer.isAuthenticated()) {
      return AccessToken.fromClaims(
          bearer.getToken().getTokenValue(), JsonClaims.of(bearer.getTokenAttributes()));
    }
    return null;
  }
}
