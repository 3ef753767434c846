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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A servlet filter that authenticates {@code Authorization: Bearer} with a verifier the application
 * supplies and puts the verified caller on the request ({@link McpCaller#REQUEST_ATTRIBUTE}).
 *
 * <p>The verifier does the verification (signature, issuer, audience, expiry) and returns the caller
 * (or the verified claims, which this filter maps with {@link AccessToken#fromClaims}) or throws any
 * {@link RuntimeException}; this filter never inspects the token itself. Outcomes (RFC 6750, and
 * MCP's authorization specification):
 *
 * <ul>
 *   <li>verified, with every {@linkplain Builder#requiredScopes required scope}: the chain continues
 *       with the caller on the request;
 *   <li>verified but missing a required scope: {@code 403} with
 *       {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="<the required scopes>"};
 *   <li>present but not verified (the verifier threw or returned null, the claims do not map to an
 *       {@code AccessToken}, or the header is not a single {@code Bearer} credential): {@code 401}
 *       with {@code WWW-Authenticate: Bearer error="invalid_token"}; the chain does not run;
 *   <li>absent: {@code 401} with {@code WWW-Authenticate: Bearer}, unless anonymous callers are
 *       {@linkplain Builder#allowAnonymous() allowed}: then the chain continues without a caller.
 * </ul>
 *
 * <p>With {@linkplain Builder#resourceMetadata protected resource metadata} every challenge also
 * carries {@code resource_metadata="<its URL>"} (RFC 9728 section 5.1), and a {@code 401} carries
 * {@code scope="<the required scopes>"} when some are required, so that an MCP client can discover
 * the authorization server and get a token with the right scopes by itself. Serve the document with
 * {@link ProtectedResourceMetadataServlet}.
 *
 * <p>Neither the token nor the verifier's exception message is logged or written to the response:
 * the latter may quote the token. One case is logged at {@code WARNING}: a token the verifier
 * accepted whose claims do not map to an {@code AccessToken} (no client id, a malformed
 * {@code scope} ...) — a configuration problem, not an attack — with Baton's message, which names the
 * claim and never the token or a claim's value. Thread-safe if the verifier is.
 */
public final class BearerTokenFilter implements Filter {
  private static final System.Logger LOGGER = System.getLogger(BearerTokenFilter.class.getName());
  private static final String BEARER_PREFIX = "bearer ";
  /** Core classes whose exception messages are Baton's own (never the token or a claim value). */
  private static final Set<String> MAPPING_CLASSES = Set.of("dev.baton.ClaimsMapping",
      "dev.baton.AccessToken", "dev.baton.AccessTokenBuilder", "dev.baton.ClaimValues");

  private final Function<String, ? extends @Nullable AccessToken> verifier;
  private final boolean anonymousAllowed;
  private final List<String> requiredScopes;
  private final @Nullable ProtectedResourceMetadata metadata;

  private BearerTokenFilter(Builder builder) {
    this.verifier = builder.verifier;
    this.anonymousAllowed = builder.anonymousAllowed;
    this.requiredScopes = List.copyOf(builder.requiredScopes);
    this.metadata = builder.metadata;
  }

  /**
   * A filter that answers {@code 401} to a request without a bearer token.
   *
   * @param verifier maps a bearer token to its verified caller, or throws
   * @throws NullPointerException if {@code verifier} is null
   */
  public static BearerTokenFilter requiring(Function<String, AccessToken> verifier) {
    return builder(verifier).build();
  }

  /**
   * A filter that lets a request without an {@code Authorization} header through as anonymous; a
   * token that is present must still verify.
   *
   * @param verifier maps a bearer token to its verified caller, or throws
   * @throws NullPointerException if {@code verifier} is null
   */
  public static BearerTokenFilter allowingAnonymous(Function<String, AccessToken> verifier) {
    return builder(verifier).allowAnonymous().build();
  }

  /**
   * A builder for a filter whose verifier returns the caller.
   *
   * @param verifier maps a bearer token to its verified caller, or throws
   * @throws NullPointerException if {@code verifier} is null
   */
  public static Builder builder(Function<String, AccessToken> verifier) {
    Objects.requireNonNull(verifier, "verifier");
    return new Builder(verifier);
  }

  /**
   * A builder for a filter whose verifier returns the token's verified claims (a JWT's payload, an
   * introspection response); the filter maps them with {@link AccessToken#fromClaims}.
   *
   * @param claimsVerifier maps a bearer token to its verified claims (JSON values), or throws
   * @throws NullPointerException if {@code claimsVerifier} is null
   */
  public static Builder builderForClaims(Function<String, Map<String, ?>> claimsVerifier) {
    Objects.requireNonNull(claimsVerifier, "claimsVerifier");
    return new Builder(token -> AccessToken.fromClaims(token, claimsVerifier.apply(token)));
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
        refuse(httpResponse, HttpServletResponse.SC_UNAUTHORIZED, null);
      }
      return;
    }
    String header = headers.nextElement();
    @Nullable AccessToken caller = headers.hasMoreElements() ? null : verify(header);
    if (caller == null) {
      refuse(httpResponse, HttpServletResponse.SC_UNAUTHORIZED, "invalid_token");
      return;
    }
    if (!caller.scopes().containsAll(requiredScopes)) {
      refuse(httpResponse, HttpServletResponse.SC_FORBIDDEN, "insufficient_scope");
      return;
    }
    http.setAttribute(McpCaller.REQUEST_ATTRIBUTE, caller);
    chain.doFilter(request, response);
  }

  private void refuse(HttpServletResponse response, int status, @Nullable String error)
      throws IOException {
    response.setHeader("WWW-Authenticate", challenge(error));
    response.sendError(status);
  }

  /** The {@code WWW-Authenticate} value; every value in it is checked to need no escaping. */
  String challenge(@Nullable String error) {
    List<String> parameters = new ArrayList<>();
    if (error != null) {
      parameters.add("error=\"" + error + "\"");
    }
    if (!requiredScopes.isEmpty()) {
      parameters.add("scope=\"" + String.join(" ", requiredScopes) + "\"");
    }
    if (metadata != null) {
      parameters.add("resource_metadata=\"" + metadata.uri() + "\"");
    }
    return parameters.isEmpty() ? "Bearer" : "Bearer " + String.join(", ", parameters);
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
      if (e instanceof IllegalArgumentException && thrownByClaimsMapping(e)) {
        // Baton's own message: it names the claim and the rule, never the token or a value.
        LOGGER.log(System.Logger.Level.WARNING, "bearer token refused: the verifier accepted it, "
            + "but its claims do not make an AccessToken: {0}", e.getMessage());
      } else {
        // The class only: a verifier's message may quote the token.
        LOGGER.log(System.Logger.Level.DEBUG, "bearer token refused: {0}",
            e.getClass().getName());
      }
      return null;
    }
  }

  private static boolean thrownByClaimsMapping(RuntimeException e) {
    StackTraceElement[] trace = e.getStackTrace();
    return trace.length > 0 && MAPPING_CLASSES.contains(trace[0].getClassName());
  }

  /** Builds a {@link BearerTokenFilter}; not thread-safe. */
  public static final class Builder {
    private final Function<String, ? extends @Nullable AccessToken> verifier;
    private boolean anonymousAllowed;
    private final List<String> requiredScopes = new ArrayList<>();
    private @Nullable ProtectedResourceMetadata metadata;

    private Builder(Function<String, ? extends @Nullable AccessToken> verifier) {
      this.verifier = verifier;
    }

    /** Lets a request without an {@code Authorization} header through, with no caller. */
    public Builder allowAnonymous() {
      this.anonymousAllowed = true;
      return this;
    }

    /**
     * Requires every one of {@code scopes} of a token: one that lacks any gets {@code 403}
     * {@code insufficient_scope} naming them all, so that the client asks for all of them.
     *
     * @throws NullPointerException if a scope is null
     * @throws IllegalArgumentException if a scope is not an RFC 6749 scope token
     */
    public Builder requiredScopes(String... scopes) {
      for (String scope : scopes) {
        String checked = ProtectedResourceMetadata.checkedScope(scope);
        if (!requiredScopes.contains(checked)) {
          requiredScopes.add(checked);
        }
      }
      return this;
    }

    /**
     * Points every challenge at {@code metadata} ({@code resource_metadata}, RFC 9728).
     *
     * @throws NullPointerException if {@code metadata} is null
     * @throws IllegalStateException if metadata was set already
     */
    public Builder resourceMetadata(ProtectedResourceMetadata metadata) {
      Objects.requireNonNull(metadata, "metadata");
      if (this.metadata != null) {
        throw new IllegalStateException("resource metadata was already set");
      }
      this.metadata = metadata;
      return this;
    }

    /**
     * The filter.
     *
     * @throws IllegalStateException if both anonymous callers and required scopes were configured
     *     (an anonymous request has no scopes: it would pass a check every token must pass)
     */
    public BearerTokenFilter build() {
      if (anonymousAllowed && !requiredScopes.isEmpty()) {
        throw new IllegalStateException("allowAnonymous() and requiredScopes(" + requiredScopes
            + ") contradict: an anonymous request has no scopes");
      }
      return new BearerTokenFilter(this);
    }
  }
}
