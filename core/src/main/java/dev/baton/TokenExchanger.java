package dev.baton;

/**
 * Exchanges a caller's token, at capture, for the token a background task will act with: the hook
 * for delegation (OAuth 2.0 Token Exchange, RFC 8693), set with {@link BatonBuilder#delegation}.
 * {@code baton-oauth2} provides one that asks the authorization server.
 *
 * <p><b>Why.</b> Access tokens live minutes; jobs run later (retries with back-off, schedules, long
 * reports). Without delegation a job that starts after its caller's token expired fails closed, by
 * design. With it, the service exchanges the caller's still-valid token for a delegated one &mdash;
 * the caller as subject, the service as actor, narrowed to the audience the job calls &mdash; and
 * the snapshot holds that instead.
 *
 * <p><b>Contract.</b> {@link #exchange} is called once per capture, on the capturing thread (also
 * for {@link Baton#captureAsync}, whose store write alone is asynchronous), only for a caller that
 * is present and not expired: an anonymous or expired caller is stored as anonymous without an
 * exchange. It either returns the delegated token or throws {@link DelegationFailedException}; it
 * never returns the caller's own token (Baton refuses a result whose bearer value equals the
 * caller's, or which has already expired, with {@link DelegationFailedException.Reason#INVALID_RESPONSE}).
 * Baton wraps any other {@code RuntimeException} in a {@link DelegationFailedException} of reason
 * {@link DelegationFailedException.Reason#FAILED}. Either way nothing is stored: a failed exchange
 * never falls back to the original token, nor to anonymous.
 *
 * <p><b>The original token is not kept.</b> The snapshot holds the delegated token only: least
 * privilege (the delegated token is narrowed to the job's audience and scopes, the original is
 * usually broader), one credential at rest instead of two, and the original would have expired by
 * the time a long job runs anyway. The snapshot's TTL follows the delegated token's expiry (see
 * {@link Baton#capture(TaskKey, AccessToken)}). The {@link TaskKey#scope()} of
 * {@link Baton#capture()} is still derived from the original caller.
 *
 * <p><b>In-process work.</b> {@link Baton#wrap} does not exchange unless asked
 * ({@link BatonBuilder#delegateInProcess}): an in-process task usually runs while the service
 * still holds the caller's token, and an exchange adds an authorization-server round trip to every
 * submit. Exchange where work leaves the process or outlives the request ({@code capture}, and the
 * integrations built on it).
 *
 * <p>Implementations must be thread-safe, must not log or put in exception messages any bearer
 * token or client secret, and should bound their own network waits.
 */
@FunctionalInterface
public interface TokenExchanger {

  /**
   * The token the task will act with, in place of {@code caller}.
   *
   * @param caller the capturing caller, present and not expired
   * @return the delegated token; not {@code caller} nor a token with its bearer value
   * @throws DelegationFailedException if the exchange fails; nothing is stored
   */
  AccessToken exchange(AccessToken caller);
}
