package dev.baton.mcp;

import dev.baton.AccessToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A servlet filter that authenticates {@code Authorization: Bearer} with a verifier the application
 * supplies and puts the verified caller on the request ({@link McpCaller#REQUEST_ATTRIBUTE}).
 *
 * <p>The verifier does the verification (signature, issuer, audience, expiry) and returns the caller
 * or throws any {@link RuntimeException}; this filter never inspects the token itself. Outcomes
 * (RFC 6750):
 *
 * <ul>
 *   <li>verified: the chain continues with the caller on the request;
 *   <li>present but not verified (the verifier threw, returned null, or the header is not a single
 *       {@code Bearer} credential): {@code 401} with
 *       {@code WWW-Authenticate: Bearer error="invalid_token"}; the chain does not run;
 *   <li>absent: {@code 401} with {@code WWW-Authenticate: Bearer} when built by
 *       {@link #requiring}; the chain continues without a caller when built by
 *       {@link #allowingAnonymous}.
 * </ul>
 *
 * <p>Neither the token nor the verifier's exception message is logged or written to the response:
 * the latter may quote the token. Thread-safe if the verifier is.
 */
public final class BearerTokenFilter implements Filter {
  private static final System.Logger LOGGER = System.getLogger(BearerTokenFilter.class.getName());
  private static final String BEARER_PREFIX = "bearer ";

  private final Function<String, AccessToken> verifier;
  private final boolean anonymousAllowed;

  private BearerTokenFilter(Function<String, AccessToken> verifier, boolean anonymousAllowed) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.anonymousAllowed = anonymousAllowed;
  }

  /**
   * A filter that answers {@code 401} to a request without a bearer token.
   *
   * @param verifier maps a bearer token to its verified caller, or throws
   * @throws NullPointerException if {@code verifier} is null
   */
  public static BearerTokenFilter requiring(Function<String, AccessToken> verifier) {
    return new BearerTokenFilter(verifier, false);
  }

  /**
   * A filter that lets a request without an {@code Authorization} header through as anonymous; a
   * token that is present must still verify.
   *
   * @param verifier maps a bearer token to its verified caller, or throws
   * @throws NullPointerException if {@code verifier} is null
   */
  public static BearerTokenFilter allowingAnonymous(Function<String, AccessToken> verifier) {
    return new BearerTokenFilter(verifier, true);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse httpResponse = (HttpServletResponse) response;
    // A caller set upstream of this filter must never survive a failed or missing authentication.
    http.removeAttribute(McpCaller.REQUEST_ATTRIBUTE);
    var headers = http.getHeaders("Authorization");
    if (headers == null || !headers.hasMoreElements()) {
      if (anonymousAllowed) {
        chain.doFilter(request, response);
      } else {
        httpResponse.setHeader("WWW-Authenticate", "Bearer");
        httpResponse.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      }
      return;
    }
    String header = headers.nextElement();
    @Nullable AccessToken caller = headers.hasMoreElements() ? null : verify(header);
    if (caller == null) {
      httpResponse.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      httpResponse.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      return;
    }
    http.setAttribute(McpCaller.REQUEST_ATTRIBUTE, caller);
    chain.doFilter(request, response);
  }

  private @Nullable AccessToken verify(String header) {
    if (header.length() <= BEARER_PREFIX.length()
        || !header.substring(0, BEARER_PREFIX.length()).toLowerCase(Locale.ROOT)
            .equals(BEARER_PREFIX)) {
      return null;
    }
    String token = header.substring(BEARER_PREFIX.length()).strip();
    if (token.isEmpty()) {
      return null;
    }
    try {
      return verifier.apply(token);
    } catch (RuntimeException e) {
      // The class only: a verifier's message may quote the token.
      LOGGER.log(System.Logger.Level.DEBUG, "bearer token refused: {0}", e.getClass().getName());
      return null;
    }
  }
}
