package dev.baton;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A task's caller could not be restored, and the {@link RestoreFailurePolicy#FAIL} policy stopped
 * the task before its body ran; or, with {@link Reason#CALLER_EXPIRED}, a capture refused a caller
 * whose token had already expired, so that no task would run without its caller.
 *
 * <p>The message names the task key and the reason; the cause, if any, is the store's failure.
 */
public final class RestoreFailedException extends BatonException {
  private static final long serialVersionUID = 1L;

  /** Why a restore failed. */
  public enum Reason {
    /** No snapshot under the key: never captured, expired, or already cleaned up. */
    MISSING,
    /** The store failed or its value could not be decoded. */
    STORE_FAILED,
    /**
     * The caller's token had expired (by the Baton's clock and leeway) when the task was about to
     * start, or when it was captured: the task never runs as nobody in its caller's place.
     */
    CALLER_EXPIRED
  }

  private final TaskKey key;
  private final Reason reason;

  /** An exception for {@code key} failing for {@code reason}. */
  public RestoreFailedException(TaskKey key, Reason reason, @Nullable Throwable cause) {
    super(message(key, reason), cause);
    this.key = key;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** As above, with a detail (never token text) appended to the message. */
  RestoreFailedException(TaskKey key, Reason reason, String detail, @Nullable Throwable cause) {
    super(message(key, reason) + ": " + detail, cause);
    this.key = key;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  private static String message(TaskKey key, Reason reason) {
    Objects.requireNonNull(key, "key");
    return switch (Objects.requireNonNull(reason, "reason")) {
      case MISSING -> "no token snapshot for task " + key + " (never captured, expired or deleted)";
      case STORE_FAILED -> "could not restore the token snapshot of task " + key;
      case CALLER_EXPIRED -> "the caller's token of task " + key + " has expired";
    };
  }

  /** The task whose caller could not be restored. */
  public TaskKey key() {
    return key;
  }

  /** Why the restore failed. */
  public Reason reason() {
    return reason;
  }
}
