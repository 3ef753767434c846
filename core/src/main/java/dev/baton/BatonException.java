package dev.baton;

import org.jspecify.annotations.Nullable;

/**
 * The unchecked root of every failure of Baton's machinery (as opposed to argument errors, which are
 * {@link IllegalArgumentException} and {@link NullPointerException}).
 *
 * <p>Messages may name a {@link TaskKey}; they never contain a bearer token.
 */
public class BatonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with the given message. */
  public BatonException(String message) {
    super(message);
  }

  /** An exception with the given message and cause. */
  public BatonException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
