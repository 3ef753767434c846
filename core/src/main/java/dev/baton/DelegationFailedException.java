package dev.baton;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A capture's {@link TokenExchanger} could not produce a delegated token, so nothing was stored:
 * the capture failed, and the task must not be handed over (there is no snapshot for it).
 *
 * <p>Never a silent downgrade: Baton does not fall back to the caller's original token (which would
 * then be kept longer than it lives) nor to an anonymous snapshot. The message states the reason
 * and, where the authorization server gave one, its error code; it never contains a bearer token
 * or a client secret.
 */
public final class DelegationFailedException extends BatonException {
  private static final long serialVersionUID = 1L;

  /** Why the exchange failed; tells a retry-worthy failure from a configuration or grant error. */
  public enum Reason {
    /** The authorization server could not be reached, timed out, or answered 5xx: retry later. */
    AUTHORIZATION_SERVER_UNAVAILABLE,
    /** The caller's token was refused as a subject token ({@code invalid_grant}). */
    INVALID_GRANT,
    /** The requested audience or resource was refused ({@code invalid_target}). */
    AUDIENCE_REFUSED,
    /** The requested scopes were refused ({@code invalid_scope}). */
    SCOPE_REFUSED,
    /**
     * The service itself was refused: bad client credentials ({@code invalid_client}), or the
     * client may not use token exchange ({@code unauthorized_client},
     * {@code unsupported_grant_type}).
     */
    CLIENT_REFUSED,
    /** The response had no {@code expires_in}, and the policy is to refuse such a token. */
    NO_EXPIRY,
    /**
     * The response was not a usable delegated token: unparseable, the caller's own token back,
     * already expired, or of an unexpected type.
     */
    INVALID_RESPONSE,
    /** Any other refusal by the authorization server, or a failure of the exchanger itself. */
    FAILED
  }

  private final Reason reason;

  /**
   * An exception for {@code reason}.
   *
   * @param reason why the exchange failed
   * @param message what happened; must not contain a token or a secret
   * @param cause the underlying failure (such as an {@link java.io.IOException}), or {@code null}
   */
  public DelegationFailedException(Reason reason, String message, @Nullable Throwable cause) {
    super("delegation failed (" + Objects.requireNonNull(reason, "reason") + "): "
        + Objects.requireNonNull(message, "message"), cause);
    this.reason = reason;
  }

  /** Why the exchange failed. */
  public Reason reason() {
    return reason;
  }
}
