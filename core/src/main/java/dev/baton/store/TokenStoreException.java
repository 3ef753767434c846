package dev.baton.store;

import dev.baton.BatonException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenSnapshotStore} operation failed: the backend is unreachable, timed out, answered with
 * an error, or held a value that could not be decoded.
 *
 * <p>Stores map their native errors to this type (or a subclass) in one place. The message names the
 * operation and the task key, never the token.
 */
public class TokenStoreException extends BatonException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public TokenStoreException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public TokenStoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
