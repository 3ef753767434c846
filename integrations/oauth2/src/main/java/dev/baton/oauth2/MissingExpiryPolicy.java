package dev.baton.oauth2;

/**
 * What a token-exchange response without {@code expires_in} leads to. The lifetime of a delegated
 * token bounds how long its snapshot is kept, so a token of unknown lifetime is refused unless the
 * application says otherwise.
 */
public enum MissingExpiryPolicy {
  /**
   * Fail the capture with {@link dev.baton.DelegationFailedException.Reason#NO_EXPIRY} (the
   * default): the store never keeps a credential whose lifetime nobody knows.
   */
  FAIL,
  /**
   * Treat the token as living the configured
   * {@link TokenExchangeDelegation.Builder#maxLifetime maximum lifetime}: Baton stops using it
   * then, whatever the authorization server would still accept.
   */
  ASSUME_MAX_LIFETIME
}
