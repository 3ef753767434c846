package dev.baton.spring.boot;

import dev.baton.oauth2.ActorToken;
import dev.baton.oauth2.ClientAuthentication;
import dev.baton.oauth2.MissingExpiryPolicy;
import dev.baton.oauth2.TokenExchangeDelegation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Delegation settings under {@code baton.delegation.*} (needs {@code baton-oauth2}): at capture the
 * caller's token is exchanged at {@code token-endpoint} for a delegated token (OAuth 2.0 Token
 * Exchange, RFC 8693), so background jobs outliving the caller's token still act as the caller.
 * Setting {@code baton.delegation.token-endpoint} switches it on. The client secret is read from
 * an environment variable or a file, never from a property value.
 *
 * <p>Not thread-safe; bound once at startup.
 */
@ConfigurationProperties(prefix = "baton.delegation", ignoreUnknownFields = false)
public class BatonDelegationProperties {

  /** The authorization server's token endpoint: https, or http on a loopback address only. */
  private @Nullable URI tokenEndpoint;

  /** The service's client id at the authorization server. */
  private @Nullable String clientId;

  /** Name of the environment variable holding the client secret. */
  private @Nullable String clientSecretEnv;

  /** File holding the client secret (a mounted secret, for instance). */
  private @Nullable Path clientSecretFile;

  /** How the client secret is sent to the token endpoint. */
  private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_BASIC;

  /** Audiences to request for the delegated token: the APIs the jobs call. */
  private List<String> audiences = new ArrayList<>();

  /** Resources (RFC 8707) to request for the delegated token, as absolute URIs. */
  private List<URI> resources = new ArrayList<>();

  /** Scopes to request for the delegated token; none means the server's default. */
  private List<String> scopes = new ArrayList<>();

  /**
   * Whether the service sends its own client-credentials token as actor_token, so that the
   * delegated token names it in act (delegation), or not (impersonation).
   */
  private ActorToken actorToken = ActorToken.CLIENT_CREDENTIALS;

  /** Bound on connecting to the token endpoint. */
  private Duration connectTimeout = TokenExchangeDelegation.DEFAULT_CONNECT_TIMEOUT;

  /** Bound on one whole request to the token endpoint. */
  private Duration readTimeout = TokenExchangeDelegation.DEFAULT_READ_TIMEOUT;

  /** The longest a delegated token is used (and its snapshot kept), whatever expires_in says. */
  private Duration maxLifetime = TokenExchangeDelegation.DEFAULT_MAX_LIFETIME;

  /** What a token response without expires_in does: fail the capture, or assume max-lifetime. */
  private MissingExpiryPolicy missingExpiry = MissingExpiryPolicy.FAIL;

  /**
   * Whether in-process work (@Async, Spring's executors) exchanges too, at submit; by default only
   * captures (work handed to a store) do.
   */
  private boolean inProcess;

  /** Whether in-process work exchanges too. */
  public boolean isInProcess() {
    return inProcess;
  }

  /**
   * Sets whether in-process work exchanges too.
   *
   * @param inProcess whether it does
   */
  public void setInProcess(boolean inProcess) {
    this.inProcess = inProcess;
  }

  /** The token endpoint, or null when delegation is off. */
  public @Nullable URI getTokenEndpoint() {
    return tokenEndpoint;
  }

  /**
   * Sets the token endpoint.
   *
   * @param tokenEndpoint the token endpoint
   */
  public void setTokenEndpoint(@Nullable URI tokenEndpoint) {
    this.tokenEndpoint = tokenEndpoint;
  }

  /** The client id. */
  public @Nullable String getClientId() {
    return clientId;
  }

  /**
   * Sets the client id.
   *
   * @param clientId the client id
   */
  public void setClientId(@Nullable String clientId) {
    this.clientId = clientId;
  }

  /** The environment variable holding the secret. */
  public @Nullable String getClientSecretEnv() {
    return clientSecretEnv;
  }

  /**
   * Sets the environment variable holding the secret.
   *
   * @param clientSecretEnv the variable's name
   */
  public void setClientSecretEnv(@Nullable String clientSecretEnv) {
    this.clientSecretEnv = clientSecretEnv;
  }

  /** The file holding the secret. */
  public @Nullable Path getClientSecretFile() {
    return clientSecretFile;
  }

  /**
   * Sets the file holding the secret.
   *
   * @param clientSecretFile the file
   */
  public void setClientSecretFile(@Nullable Path clientSecretFile) {
    this.clientSecretFile = clientSecretFile;
  }

  /** The client authentication method. */
  public ClientAuthentication getClientAuthentication() {
    return clientAuthentication;
  }

  /**
   * Sets the client authentication method.
   *
   * @param clientAuthentication the method
   */
  public void setClientAuthentication(ClientAuthentication clientAuthentication) {
    this.clientAuthentication = clientAuthentication;
  }

  /** The requested audiences. */
  public List<String> getAudiences() {
    return audiences;
  }

  /**
   * Sets the requested audiences.
   *
   * @param audiences the audiences
   */
  public void setAudiences(List<String> audiences) {
    this.audiences = audiences;
  }

  /** The requested resources. */
  public List<URI> getResources() {
    return resources;
  }

  /**
   * Sets the requested resources.
   *
   * @param resources the resources
   */
  public void setResources(List<URI> resources) {
    this.resources = resources;
  }

  /** The requested scopes. */
  public List<String> getScopes() {
    return scopes;
  }

  /**
   * Sets the requested scopes.
   *
   * @param scopes the scopes
   */
  public void setScopes(List<String> scopes) {
    this.scopes = scopes;
  }

  /** Whether an actor token is sent. */
  public ActorToken getActorToken() {
    return actorToken;
  }

  /**
   * Sets whether an actor token is sent.
   *
   * @param actorToken the mode
   */
  public void setActorToken(ActorToken actorToken) {
    this.actorToken = actorToken;
  }

  /** The connect timeout. */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets the connect timeout.
   *
   * @param connectTimeout the timeout
   */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /** The read timeout. */
  public Duration getReadTimeout() {
    return readTimeout;
  }

  /**
   * Sets the read timeout.
   *
   * @param readTimeout the timeout
   */
  public void setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  /** The maximum lifetime. */
  public Duration getMaxLifetime() {
    return maxLifetime;
  }

  /**
   * Sets the maximum lifetime.
   *
   * @param maxLifetime the lifetime
   */
  public void setMaxLifetime(Duration maxLifetime) {
    this.maxLifetime = maxLifetime;
  }

  /** The missing-expiry policy. */
  public MissingExpiryPolicy getMissingExpiry() {
    return missingExpiry;
  }

  /**
   * Sets the missing-expiry policy.
   *
   * @param missingExpiry the policy
   */
  public void setMissingExpiry(MissingExpiryPolicy missingExpiry) {
    this.missingExpiry = missingExpiry;
  }
}
