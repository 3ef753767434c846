package dev.baton.oauth2;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.baton.AccessToken;
import dev.baton.DelegationFailedException;
import dev.baton.DelegationFailedException.Reason;
import dev.baton.TokenExchanger;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Delegation by OAuth 2.0 Token Exchange (RFC 8693): at capture, the caller's access token is sent
 * to the authorization server as the {@code subject_token}, with the service's own token as the
 * {@code actor_token} (see {@link ActorToken}), and the delegated token the server issues &mdash;
 * the caller as {@code sub}, the service in {@code act}, restricted to the requested audience,
 * resources and scopes &mdash; is what Baton stores and the job acts with.
 *
 * <pre>{@code
 * TokenExchanger delegation = TokenExchangeDelegation.builder()
 *     .tokenEndpoint(URI.create("https://auth.example.com/oauth2/token"))
 *     .clientId("reports-service")
 *     .clientSecretFromEnvironment("REPORTS_CLIENT_SECRET")
 *     .audience("https://api.example.com/ledger")
 *     .scopes("ledger.read")
 *     .build();
 * Baton baton = Baton.builder().store(store).delegation(delegation).build();
 * }</pre>
 *
 * <p><b>The request</b> is built and its response parsed by the Nimbus OAuth 2.0 SDK, and sent with
 * the JDK's {@code HttpClient} (connect timeout, a timeout on the whole exchange, no redirects).
 * The token endpoint must be {@code https}, or {@code http} on a loopback address only.
 *
 * <p><b>The delegated token</b> becomes an {@link AccessToken}: its expiry is {@code now +
 * expires_in}, cut to {@link Builder#maxLifetime} (and to the JWT's own {@code exp} when earlier);
 * a response without {@code expires_in} follows the {@link MissingExpiryPolicy} (fail by default).
 * Its scopes are the response's {@code scope}, else the JWT's, else those requested (RFC 6749
 * 5.1: an omitted scope means the requested one). When the token is a JWT, its payload becomes the
 * claims ({@code sub}, {@code act}, {@code aud}, ...) <em>without verifying its signature</em>:
 * the service received it directly from its authorization server, over TLS, in answer to its own
 * authenticated request, which is the trust RFC 6749 places in any token response; the downstream
 * resource server verifies it as usual. An opaque token gets the caller's {@code sub} and, when an
 * actor token was sent, {@code act: {sub: clientId}}: what the request asked for, not what the
 * server asserted; introspect downstream when that matters.
 *
 * <p><b>Failures</b> throw {@link DelegationFailedException} with a {@link Reason}: unreachable,
 * timed out or 5xx is {@link Reason#AUTHORIZATION_SERVER_UNAVAILABLE}; {@code invalid_grant},
 * {@code invalid_target}, {@code invalid_scope}, {@code invalid_client} /
 * {@code unauthorized_client} / {@code unsupported_grant_type} map to their reasons; anything
 * unusable is {@link Reason#INVALID_RESPONSE}. The message names the HTTP status and the OAuth
 * error code, and the server's description only when it contains none of the request's secrets.
 *
 * <p><b>Secrets</b> &mdash; the client secret, the caller's token, the actor token, the delegated
 * token &mdash; appear in no log record (this class logs nothing; the JDK client logs nothing
 * unless system properties ask it to), exception message or {@code toString()}.
 *
 * <p>Thread-safe: one instance serves every capture; the actor token is shared and refreshed under
 * a lock shortly before it expires. An {@code invalid_grant} answered to a request that used the
 * cached actor token is retried once with a fresh one (the server may have forgotten the cached
 * token), so a stale actor token is never reported as the caller's refused grant.
 */
public final class TokenExchangeDelegation implements TokenExchanger {
  /** Default bound on establishing the connection to the token endpoint. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Default bound on one whole request to the token endpoint, after connecting. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
  /** Default upper bound on a delegated token's lifetime as Baton uses it. */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
  /** A cached actor token is replaced this long before it expires. */
  static final Duration ACTOR_TOKEN_MARGIN = Duration.ofSeconds(30);

  private static final int MAX_DESCRIPTION_LENGTH = 200;

  private final URI tokenEndpoint;
  private final ClientID clientId;
  private final Secret secret;
  private final ClientAuthentication authentication;
  private final List<Audience> audiences;
  private final List<URI> resources;
  private final List<String> scopes;
  private final ActorToken actor;
  private final Duration maxLifetime;
  private final MissingExpiryPolicy missingExpiry;
  private final Clock clock;
  private final JdkHttpSender sender;
  private final DelegatedTokens tokens;

  private final Object actorLock = new Object();
  private @Nullable BearerAccessToken actorToken; // guarded by actorLock
  private @Nullable Instant actorTokenRefreshAt; // guarded by actorLock

  private TokenExchangeDelegation(Builder builder, URI tokenEndpoint, String clientId,
      String secret) {
    this.tokenEndpoint = tokenEndpoint;
    this.clientId = new ClientID(clientId);
    this.secret = new Secret(secret);
    this.authentication = builder.authentication;
    this.audiences = builder.audiences.stream().map(Audience::new).toList();
    this.resources = List.copyOf(builder.resources);
    this.scopes = List.copyOf(builder.scopes);
    this.actor = builder.actor;
    this.maxLifetime = builder.maxLifetime;
    this.missingExpiry = builder.missingExpiry;
    this.clock = builder.clock;
    this.sender = new JdkHttpSender(builder.connectTimeout, builder.readTimeout);
    this.tokens = new DelegatedTokens(clientId, scopes,
        !builder.audiences.isEmpty() ? builder.audiences.get(0)
            : !resources.isEmpty() ? resources.get(0).toString() : null);
  }

  /** A builder; {@link Builder#tokenEndpoint}, {@link Builder#clientId} and a secret are needed. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Exchanges {@code caller}'s token for a delegated one; one round trip to the token endpoint (two
   * when the cached actor token needs replacing).
   *
   * @throws DelegationFailedException if the server is unreachable or slow, refuses the exchange,
   *     or answers with no usable token
   */
  @Override
  public AccessToken exchange(AccessToken caller) {
    Objects.requireNonNull(caller, "caller");
    if (actor == ActorToken.NONE) {
      return exchange(caller, null);
    }
    ActorTokenLease lease = actorToken();
    try {
      return exchange(caller, lease.token());
    } catch (DelegationFailedException e) {
      if (e.reason() != Reason.INVALID_GRANT || !lease.cached()) {
        throw e;
      }
      // The server may have forgotten the cached actor token (revoked, restarted): invalid_grant
      // cannot say which token it refused, so ask once more with a fresh actor token before
      // blaming the caller's.
      forgetActorToken(lease.token());
      return exchange(caller, actorToken().token());
    }
  }

  private AccessToken exchange(AccessToken caller, @Nullable BearerAccessToken actorBearer) {
    BearerAccessToken subject = new BearerAccessToken(caller.token());
    TokenExchangeGrant grant = new TokenExchangeGrant(subject, TokenTypeURI.ACCESS_TOKEN,
        actorBearer, actorBearer == null ? null : TokenTypeURI.ACCESS_TOKEN,
        TokenTypeURI.ACCESS_TOKEN, audiences.isEmpty() ? null : audiences);
    Instant now = clock.instant();
    AccessTokenResponse response = request(grant, scopes,
        new Secrets(caller.token(), actorBearer == null ? null : actorBearer.getValue()));
    com.nimbusds.oauth2.sdk.token.AccessToken issued = response.getTokens().getAccessToken();
    if (!AccessTokenType.BEARER.equals(issued.getType())) {
      throw new DelegationFailedException(Reason.INVALID_RESPONSE, "the delegated token's type is "
          + printable(String.valueOf(issued.getType())) + "; only Bearer tokens are supported",
          null);
    }
    TokenTypeURI issuedType = issued.getIssuedTokenType();
    if (issuedType != null && !issuedType.equals(TokenTypeURI.ACCESS_TOKEN)
        && !issuedType.equals(TokenTypeURI.JWT)) {
      throw new DelegationFailedException(Reason.INVALID_RESPONSE, "the server issued a "
          + printable(issuedType.getURI().toString()) + ", not an access token", null);
    }
    if (issued.getValue().equals(caller.token())) {
      throw new DelegationFailedException(Reason.INVALID_RESPONSE,
          "the server returned the caller's own token", null);
    }
    Duration lifetime;
    if (issued.getLifetime() > 0) {
      lifetime = Duration.ofSeconds(issued.getLifetime());
      if (lifetime.compareTo(maxLifetime) > 0) {
        lifetime = maxLifetime;
      }
    } else if (missingExpiry == MissingExpiryPolicy.ASSUME_MAX_LIFETIME) {
      lifetime = maxLifetime;
    } else {
      throw new DelegationFailedException(Reason.NO_EXPIRY, "the token exchange response has no"
          + " expires_in (set MissingExpiryPolicy.ASSUME_MAX_LIFETIME to accept it)", null);
    }
    Scope grantedScope = issued.getScope();
    return tokens.toAccessToken(issued.getValue(), now.plus(lifetime),
        grantedScope == null ? null : grantedScope.toStringList(), caller,
        actorBearer != null);
  }

  /** An actor token, and whether it came from the cache. */
  private record ActorTokenLease(BearerAccessToken token, boolean cached) {}

  /** The service's own token for {@code actor_token}, from the cache or a fresh request. */
  private ActorTokenLease actorToken() {
    synchronized (actorLock) {
      Instant now = clock.instant();
      BearerAccessToken cached = actorToken;
      Instant refreshAt = actorTokenRefreshAt;
      if (cached != null && refreshAt != null && now.isBefore(refreshAt)) {
        return new ActorTokenLease(cached, true);
      }
      AccessTokenResponse response = request(new ClientCredentialsGrant(), List.of(),
          new Secrets(null, null));
      com.nimbusds.oauth2.sdk.token.AccessToken token = response.getTokens().getAccessToken();
      BearerAccessToken bearer = new BearerAccessToken(token.getValue());
      long lifetime = token.getLifetime();
      // Without expires_in the actor token is not cached: fetched again for the next capture.
      actorToken = lifetime > 0 ? bearer : null;
      actorTokenRefreshAt = lifetime > 0
          ? now.plusSeconds(lifetime).minus(ACTOR_TOKEN_MARGIN) : null;
      return new ActorTokenLease(bearer, false);
    }
  }

  /** Drops {@code token} from the cache, unless another capture has already replaced it. */
  private void forgetActorToken(BearerAccessToken token) {
    synchronized (actorLock) {
      if (token.equals(actorToken)) {
        actorToken = null;
        actorTokenRefreshAt = null;
      }
    }
  }

  /** The token values of one request, kept out of every message built from the server's answer. */
  private record Secrets(@Nullable String subjectToken, @Nullable String actorToken) {}

  private AccessTokenResponse request(AuthorizationGrant grant, List<String> requestedScopes,
      Secrets secrets) {
    com.nimbusds.oauth2.sdk.auth.ClientAuthentication auth =
        authentication == ClientAuthentication.CLIENT_SECRET_POST
            ? new ClientSecretPost(clientId, secret) : new ClientSecretBasic(clientId, secret);
    String what = grant instanceof ClientCredentialsGrant ? "actor token request"
        : "token exchange";
    TokenRequest.Builder builder = new TokenRequest.Builder(tokenEndpoint, auth, grant);
    if (!requestedScopes.isEmpty()) {
      builder.scope(Scope.parse(requestedScopes));
    }
    if (!resources.isEmpty() && !(grant instanceof ClientCredentialsGrant)) {
      builder.resources(resources.toArray(URI[]::new));
    }
    TokenRequest request = builder.build();
    HTTPResponse http;
    try {
      http = request.toHTTPRequest().send(sender);
    } catch (IOException e) {
      throw new DelegationFailedException(Reason.AUTHORIZATION_SERVER_UNAVAILABLE, what + " to "
          + tokenEndpoint + " failed: " + e.getClass().getName(), e);
    }
    TokenResponse response;
    try {
      response = TokenResponse.parse(http);
    } catch (ParseException e) {
      throw new DelegationFailedException(http.getStatusCode() >= 500
          ? Reason.AUTHORIZATION_SERVER_UNAVAILABLE : Reason.INVALID_RESPONSE,
          what + ": unparseable response from " + tokenEndpoint + " (HTTP "
          + http.getStatusCode() + ")", null);
    }
    if (!response.indicatesSuccess()) {
      ErrorObject error = response.toErrorResponse().getErrorObject();
      String code = error.getCode() == null ? "" : error.getCode();
      throw new DelegationFailedException(reasonFor(code, http.getStatusCode()),
          what + " refused by " + tokenEndpoint + ": HTTP " + http.getStatusCode()
          + ", error " + printable(code.isEmpty() ? "(none)" : code)
          + description(error.getDescription(), secrets), null);
    }
    return response.toSuccessResponse();
  }

  private static Reason reasonFor(String code, int status) {
    return switch (code) {
      case "invalid_grant" -> Reason.INVALID_GRANT;
      case "invalid_target" -> Reason.AUDIENCE_REFUSED;
      case "invalid_scope" -> Reason.SCOPE_REFUSED;
      case "invalid_client", "unauthorized_client", "unsupported_grant_type" ->
          Reason.CLIENT_REFUSED;
      case "temporarily_unavailable", "server_error" -> Reason.AUTHORIZATION_SERVER_UNAVAILABLE;
      default -> status >= 500 ? Reason.AUTHORIZATION_SERVER_UNAVAILABLE : Reason.FAILED;
    };
  }

  /** The server's description, unless it repeats one of this request's secrets. */
  private String description(@Nullable String description, Secrets secrets) {
    if (description == null || description.isBlank()) {
      return "";
    }
    for (String secretValue : new String[] {secrets.subjectToken(), secrets.actorToken(),
        secret.getValue()}) {
      if (secretValue != null && description.contains(secretValue)) {
        return " (description withheld: it repeats a credential)";
      }
    }
    String text = description.length() > MAX_DESCRIPTION_LENGTH
        ? description.substring(0, MAX_DESCRIPTION_LENGTH) + "..." : description;
    return " (" + printable(text) + ")";
  }

  /** Control characters replaced: server text must not forge lines in a log. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  /** The endpoint, client, audiences, resources, scopes and limits; never the secret. */
  @Override
  public String toString() {
    return "TokenExchangeDelegation[tokenEndpoint=" + tokenEndpoint + ", clientId=" + clientId
        + ", authentication=" + authentication + ", audiences=" + audiences + ", resources="
        + resources + ", scopes=" + scopes + ", actor=" + actor + ", maxLifetime=" + maxLifetime
        + ", missingExpiry=" + missingExpiry + "]";
  }

  /** Configures a {@link TokenExchangeDelegation}. Not thread-safe. */
  public static final class Builder {
    private @Nullable URI tokenEndpoint;
    private @Nullable String clientId;
    private @Nullable ClientSecretSource secretSource;
    private ClientAuthentication authentication = ClientAuthentication.CLIENT_SECRET_BASIC;
    private final List<String> audiences = new ArrayList<>();
    private final List<URI> resources = new ArrayList<>();
    private final List<String> scopes = new ArrayList<>();
    private ActorToken actor = ActorToken.CLIENT_CREDENTIALS;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
    private MissingExpiryPolicy missingExpiry = MissingExpiryPolicy.FAIL;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The authorization server's token endpoint: {@code https}, or {@code http} on a loopback
     * address ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}) only.
     *
     * @throws IllegalArgumentException if not absolute, not http(s), or plain http elsewhere
     */
    public Builder tokenEndpoint(URI tokenEndpoint) {
      Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
      String scheme = tokenEndpoint.getScheme() == null ? ""
          : tokenEndpoint.getScheme().toLowerCase(Locale.ROOT);
      String host = tokenEndpoint.getHost();
      if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
        throw new IllegalArgumentException("tokenEndpoint must be an absolute http(s) URI with a"
            + " host: " + tokenEndpoint);
      }
      if (scheme.equals("http") && !isLoopback(host)) {
        throw new IllegalArgumentException("tokenEndpoint must use https (client secret and"
            + " tokens travel in it); plain http is allowed on loopback only: " + tokenEndpoint);
      }
      if (tokenEndpoint.getRawUserInfo() != null || tokenEndpoint.getRawFragment() != null) {
        throw new IllegalArgumentException("tokenEndpoint must have no user info nor fragment");
      }
      this.tokenEndpoint = tokenEndpoint;
      return this;
    }

    private static boolean isLoopback(String host) {
      String h = host.toLowerCase(Locale.ROOT);
      return h.equals("localhost") || h.equals("[::1]") || h.equals("::1")
          || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** The service's client id at the authorization server. */
    public Builder clientId(String clientId) {
      Objects.requireNonNull(clientId, "clientId");
      if (clientId.isBlank()) {
        throw new IllegalArgumentException("clientId must not be blank");
      }
      this.clientId = clientId;
      return this;
    }

    /**
     * Reads the client secret from environment variable {@code variable} at {@link #build}.
     *
     * @throws IllegalStateException if a secret source is already set
     */
    public Builder clientSecretFromEnvironment(String variable) {
      Objects.requireNonNull(variable, "variable");
      return secretSource(ClientSecretSource.environment(variable));
    }

    /**
     * Reads the client secret from {@code file} (UTF-8, surrounding whitespace stripped) at
     * {@link #build}: a mounted Kubernetes or Docker secret, for instance.
     *
     * @throws IllegalStateException if a secret source is already set
     */
    public Builder clientSecretFromFile(Path file) {
      Objects.requireNonNull(file, "file");
      return secretSource(ClientSecretSource.file(file));
    }

    private Builder secretSource(ClientSecretSource source) {
      if (secretSource != null) {
        throw new IllegalStateException("the client secret source is already set: "
            + secretSource);
      }
      secretSource = source;
      return this;
    }

    /** How the client secret is sent; defaults to {@link ClientAuthentication#CLIENT_SECRET_BASIC}. */
    public Builder clientAuthentication(ClientAuthentication authentication) {
      this.authentication = Objects.requireNonNull(authentication, "authentication");
      return this;
    }

    /** Adds requested audiences, sent as the request's audience parameters: the APIs the job calls. */
    public Builder audience(String... audiences) {
      for (String audience : audiences) {
        Objects.requireNonNull(audience, "audience");
        if (audience.isBlank()) {
          throw new IllegalArgumentException("audience must not be blank");
        }
        this.audiences.add(audience);
      }
      return this;
    }

    /** Adds requested resources, sent as RFC 8707 resource parameters: absolute URIs. */
    public Builder resource(URI... resources) {
      for (URI resource : resources) {
        Objects.requireNonNull(resource, "resource");
        if (!resource.isAbsolute() || resource.getRawFragment() != null) {
          throw new IllegalArgumentException("resource must be an absolute URI without a"
              + " fragment: " + resource);
        }
        this.resources.add(resource);
      }
      return this;
    }

    /** Adds requested scopes; none means the server's default for the exchange. */
    public Builder scopes(String... scopes) {
      for (String scope : scopes) {
        Objects.requireNonNull(scope, "scope");
        if (scope.isBlank() || scope.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\')) {
          throw new IllegalArgumentException("scope must be a non-blank RFC 6749 scope token: \""
              + scope + "\"");
        }
        this.scopes.add(scope);
      }
      return this;
    }

    /** Whether the service is named as actor; defaults to {@link ActorToken#CLIENT_CREDENTIALS}. */
    public Builder actorToken(ActorToken actor) {
      this.actor = Objects.requireNonNull(actor, "actor");
      return this;
    }

    /**
     * The bound on connecting to the token endpoint; defaults to {@link #DEFAULT_CONNECT_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * The bound on one request, from sending to the whole response; defaults to
     * {@link #DEFAULT_READ_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = positive(readTimeout, "readTimeout");
      return this;
    }

    /**
     * The longest Baton uses a delegated token, whatever {@code expires_in} says: its expiry (and
     * so its snapshot's TTL) is cut to this. Defaults to {@link #DEFAULT_MAX_LIFETIME}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxLifetime(Duration maxLifetime) {
      this.maxLifetime = positive(maxLifetime, "maxLifetime");
      return this;
    }

    /** What a response without {@code expires_in} does; defaults to {@link MissingExpiryPolicy#FAIL}. */
    public Builder missingExpiry(MissingExpiryPolicy missingExpiry) {
      this.missingExpiry = Objects.requireNonNull(missingExpiry, "missingExpiry");
      return this;
    }

    /**
     * The clock a delegated token's expiry is computed from ({@code now + expires_in}); use the
     * Baton's. Defaults to {@link Clock#systemUTC()}.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    /**
     * A new {@link TokenExchangeDelegation}; reads the client secret now.
     *
     * @throws IllegalStateException if the token endpoint, client id or secret source is missing,
     *     or the secret cannot be read or is empty (the message names the variable or file, never
     *     the secret)
     */
    public TokenExchangeDelegation build() {
      URI endpoint = tokenEndpoint;
      String id = clientId;
      ClientSecretSource source = secretSource;
      if (endpoint == null) {
        throw new IllegalStateException("tokenEndpoint is required");
      }
      if (id == null) {
        throw new IllegalStateException("clientId is required");
      }
      if (source == null) {
        throw new IllegalStateException("a client secret is required: clientSecretFromEnvironment"
            + "(variable) or clientSecretFromFile(path)");
      }
      return new TokenExchangeDelegation(this, endpoint, id, source.read());
    }
  }
}
