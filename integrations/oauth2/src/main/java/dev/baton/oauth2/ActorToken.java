package dev.baton.oauth2;

/**
 * Whether the exchange names the service as the actor (RFC 8693 delegation) or not (impersonation).
 */
public enum ActorToken {
  /**
   * Send the service's own access token, obtained with the {@code client_credentials} grant and
   * cached until shortly before it expires, as the {@code actor_token} (the default): the
   * authorization server can then put an {@code act} claim naming the service into the delegated
   * token (Spring Authorization Server does; it adds {@code act} only when an actor token is
   * given). Needs the client to be allowed {@code client_credentials} too.
   */
  CLIENT_CREDENTIALS,
  /**
   * Send the subject token only. Whether the delegated token names the service is then up to the
   * authorization server (many treat this as impersonation and add no {@code act} claim).
   */
  NONE
}
