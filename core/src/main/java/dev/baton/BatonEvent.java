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
    /**
     * The caller's token had already expired at submit. Under
     * {@link RestoreFailurePolicy#RUN_UNAUTHENTICATED} an anonymous marker was saved instead (the
     * task will run with no caller); under {@link RestoreFailurePolicy#FAIL} nothing was saved and
     * the capture threw {@link RestoreFailedException} ({@code CALLER_EXPIRED}).
     */
    CAPTURED_EXPIRED,
    /** A task's snapshot was loaded and installed in its scope. */
    RESTORED,
    /**
     * A task's caller had expired when the task was about to start (restored from the store, or
     * installed by a wrapped executor, a {@link CallerBinding} wrapper or a context-propagation
     * accessor). Under {@link RestoreFailurePolicy#FAIL} the task did not run
     * ({@link RestoreFailedException}, {@code CALLER_EXPIRED}); under
     * {@link RestoreFailurePolicy#RUN_UNAUTHENTICATED} it ran with no caller. In-process tasks and
     * callbacks are named by a numbered {@code local} key.
     */
    EXPIRED,
    /** No snapshot was found for a task. */
    MISSING,
    /** The store failed, or its value could not be decoded. */
    RESTORE_FAILED,
    /** The snapshot was deleted after the task, per {@link CleanupPolicy}. */
    DELETED,
    /** Deleting the snapshot after the task failed; it will expire with its TTL. */
    CLEANUP_FAILED,
    /**
     * A binding whose scope ended abnormally (an {@code Error}, such as a
     * {@link StackOverflowError}, cut its close short) was found on a thread and cleared by the next
     * Baton entry point there. It was never answered from after its scope ended; the event is for
     * finding the code that overflows. Keyed by the task, or a numbered {@code local} key for a
     * request binding.
     */
    BINDING_ABANDONED
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
