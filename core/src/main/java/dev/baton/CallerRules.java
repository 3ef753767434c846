package dev.baton;

import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Baton}'s rules for a binding it made, applied wherever that binding is installed:
 * what an expired caller does (the {@link RestoreFailurePolicy}), and where events about the
 * binding go. Every request binding and task context carries the rules of the Baton that made it,
 * so a binding captured on one thread and installed on another ({@link CallerBinding}, the
 * Micrometer accessor) is judged by the same policy as a task restored from the store.
 *
 * <p><b>One rule for expired callers.</b> A caller whose token has expired when a task starts
 * never silently becomes "no caller": under {@link RestoreFailurePolicy#FAIL} the task does not
 * start ({@link RestoreFailedException} with {@link RestoreFailedException.Reason#CALLER_EXPIRED});
 * under {@link RestoreFailurePolicy#RUN_UNAUTHENTICATED} it runs with no caller. Either way
 * listeners see {@link BatonEvent.Type#EXPIRED} and a warning is logged. Immutable, thread-safe.
 */
final class CallerRules {
  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());

  private final RestoreFailurePolicy policy;
  private final BatonEvents events;
  private final LocalTaskIds localIds;

  CallerRules(RestoreFailurePolicy policy, BatonEvents events, LocalTaskIds localIds) {
    this.policy = policy;
    this.events = events;
    this.localIds = localIds;
  }

  RestoreFailurePolicy policy() {
    return policy;
  }

  BatonEvents events() {
    return events;
  }

  LocalTaskIds localIds() {
    return localIds;
  }

  /**
   * Applies the policy to a task whose caller had expired when it was about to start.
   *
   * @param key the task's key, or null to number one (an in-process task or a callback)
   * @return the key the event named, for a task that runs with no caller
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}
   */
  TaskKey expired(@Nullable TaskKey key) {
    TaskKey k = key == null ? localIds.next() : key;
    events.publish(BatonEvent.Type.EXPIRED, k, null);
    if (policy == RestoreFailurePolicy.FAIL) {
      var failure =
          new RestoreFailedException(k, RestoreFailedException.Reason.CALLER_EXPIRED, null);
      LOGGER.log(Level.WARNING, "Task " + k + " not run: " + failure.getMessage());
      throw failure;
    }
    LOGGER.log(Level.WARNING, "Task " + k + " runs unauthenticated: its caller's token expired"
        + " before it started");
    return k;
  }

  /** Reports a binding of this Baton that was dropped after its scope ended abnormally. */
  void abandoned(@Nullable TaskKey key) {
    events.publish(BatonEvent.Type.BINDING_ABANDONED, key == null ? localIds.next() : key, null);
  }
}
