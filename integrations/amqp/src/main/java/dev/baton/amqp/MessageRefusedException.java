package dev.baton.amqp;

import dev.baton.BatonException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message's caller could not be restored, so the message was not handed to its listener.
 *
 * <p>The message states the {@link #reason()} and the rule that was broken; it never holds a token
 * and never echoes a header value in full (at most a short, sanitized prefix of a malformed one).
 * The cause, if any, is the store's failure.
 */
public final class MessageRefusedException extends BatonException {
  private static final long serialVersionUID = 1L;

  private final RefusalReason reason;

  /**
   * An exception for {@code reason}.
   *
   * @param reason why the message was refused
   * @param detail what was wrong, with no token and no full header value in it
   * @param cause the store's failure, or {@code null}
   */
  public MessageRefusedException(RefusalReason reason, String detail, @Nullable Throwable cause) {
    super("message refused (" + Objects.requireNonNull(reason, "reason") + "): "
        + Objects.requireNonNull(detail, "detail"), cause);
    this.reason = reason;
  }

  /** Why the message was refused. */
  public RefusalReason reason() {
    return reason;
  }
}
