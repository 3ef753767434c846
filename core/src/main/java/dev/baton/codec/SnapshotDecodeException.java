package dev.baton.codec;

import dev.baton.store.TokenStoreException;
import org.jspecify.annotations.Nullable;

/**
 * A stored value could not be decoded into a snapshot: corrupt, truncated, tampered with, sealed
 * under an unknown key, moved from another store key, or of an unknown format version.
 *
 * <p>It is a {@link TokenStoreException}, so a task's restore-failure policy treats it like any
 * store failure (fail-closed by default). The message never contains the token or the value.
 */
public class SnapshotDecodeException extends TokenStoreException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public SnapshotDecodeException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public SnapshotDecodeException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
