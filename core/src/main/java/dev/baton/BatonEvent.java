package dev.baton;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something Baton did with a task's snapshot, as seen by a {@link BatonListener}: the hook for
 * metrics and audit logs. Carries the key, never the token.
 *
 * @param type what happened
 * @param key the task concerned
 * @param error the failure, for {@link Type#RESTORE_FAILED} and {@link Type#CLEANUP_FAILED}
 */
public record BatonEvent(Type type, TaskKey key, @Nullable Throwable error) {

  /** What happened. */
  public enum Type {
    /** A caller's token was saved at submit. */
    CAPTURED,
    /**
     * An anonymous marker was saved at submit because there was no caller (for {@code capture()},
     * the thread had no token): the task will run without one. Worth counting and alerting on.
     */
    CAPTURED_ANONYMOUS,
    /** The caller's token had already expired at submit; an anonymous marker was saved instead. */
    CAPTURED_EXPIRED,
    /** A task's snapshot was loaded and installed in its scope. */
    RESTORED,
    /** A task's snapshot was loaded, but its token had expired: the task sees no token. */
    EXPIRED,
    /** No snapshot was found for a task. */
    MISSING,
    /** The store failed, or its value could not be decoded. */
    RESTORE_FAILED,
    /** The snapshot was deleted after the task, per {@link CleanupPolicy}. */
    DELETED,
    /** Deleting the snapshot after the task failed; it will expire with its TTL. */
    CLEANUP_FAILED
  }

  /**
   * Validates the components.
   *
   * @throws NullPointerException if {@code type} or {@code key} is null
   */
  public BatonEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
  }
}
