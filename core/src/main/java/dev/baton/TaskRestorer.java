package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The worker side of {@link Baton#enter}: reads a snapshot per {@link RestoreMode}, applies the
 * {@link RestoreFailurePolicy}, opens the task's scope and cleans up per {@link CleanupPolicy}.
 *
 * <p>A snapshot is deleted only by the task that restored it: a task that runs unauthenticated
 * after a failed load never deletes (the failure may be transient, and a retry must still find the
 * caller), and one that took its snapshot has nothing left to delete.
 *
 * <p>A caller whose token has expired by the time of the restore is a restore failure like a
 * missing snapshot ({@link RestoreFailedException.Reason#CALLER_EXPIRED}, event
 * {@link BatonEvent.Type#EXPIRED}): under {@code FAIL} the task does not run and the snapshot is
 * left to its TTL (which the capture cut to the token's validity); under
 * {@code RUN_UNAUTHENTICATED} it runs with no caller, and the snapshot counts as restored (it is
 * cleaned up as usual: it can never become valid again).
 *
 * <p>{@link #run} and {@link #call} own their scope: they end its frame in their own
 * {@code finally}, by a field write, before the close, so an Error anywhere in the close (at the
 * stack's edge) never leaves the thread acting as the caller (see {@link ContextStorage}).
 */
final class TaskRestorer {
  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());

  private final TokenSnapshotStore store;
  private final RestoreMode restoreMode;
  private final CleanupPolicy cleanupPolicy;
  private final RestoreFailurePolicy restoreFailurePolicy;
  private final BatonEvents events;
  private final CallerRules rules;
  private final Map<String, Object> lifespan;
  private final Clock clock;
  private final Duration leeway;
  // BatonBuilder#heartbeat: run and call hold a lease on their snapshot while the task runs.
  private final @Nullable SnapshotHeartbeat heartbeat;

  TaskRestorer(TokenSnapshotStore store, RestoreMode restoreMode, CleanupPolicy cleanupPolicy,
      CallerRules rules, Map<String, Object> lifespan, Clock clock, Duration leeway,
      @Nullable SnapshotHeartbeat heartbeat) {
    this.store = store;
    this.restoreMode = restoreMode;
    this.cleanupPolicy = cleanupPolicy;
    this.restoreFailurePolicy = rules.policy();
    this.events = rules.events();
    this.rules = rules;
    this.lifespan = lifespan;
    this.clock = clock;
    this.leeway = leeway;
    this.heartbeat = heartbeat;
  }

  TaskScope enter(TaskKey key) {
    return enter(key, cleanupPolicy);
  }

  /** As {@link #enter(TaskKey)} with another cleanup policy for this task (issue 23). */
  TaskScope enter(TaskKey key, CleanupPolicy cleanup) {
    // The caller's code closes this scope (see ContextStorage); proved before the store is read,
    // so that a take is never spent on a scope that could not open.
    ContextStorage.requireHeadroom();
    RestoredTaskScope scope = restore(key, cleanup);
    scope.open();
    return scope;
  }

  void run(TaskKey key, Runnable task) {
    RestoredTaskScope scope = restore(key, cleanupPolicy);
    ContextStorage.Frame frame = scope.open();
    try {
      try (SnapshotHeartbeat.Lease lease = keepAlive(scope)) {
        task.run();
      }
      scope.succeeded = true;
    } finally {
      frame.ended = true;
      scope.close();
    }
  }

  <T> T call(TaskKey key, Callable<T> task) throws Exception {
    RestoredTaskScope scope = restore(key, cleanupPolicy);
    ContextStorage.Frame frame = scope.open();
    try {
      T result;
      try (SnapshotHeartbeat.Lease lease = keepAlive(scope)) {
        result = task.call();
      }
      scope.succeeded = true;
      return result;
    } finally {
      frame.ended = true;
      scope.close();
    }
  }

  /** A lease on the task's snapshot while it runs; null (nothing to close) without a heartbeat. */
  private SnapshotHeartbeat.@Nullable Lease keepAlive(RestoredTaskScope scope) {
    SnapshotHeartbeat h = heartbeat;
    if (h == null || !scope.ownsSnapshot) {
      return null;
    }
    TaskContext context = scope.context();
    return h.keepAlive(context.key(),
        context.accessToken().map(AccessToken::expiresAt).orElse(null));
  }

  private RestoredTaskScope restore(TaskKey key, CleanupPolicy cleanup) {
    boolean take = restoreMode == RestoreMode.TAKE;
    Optional<TokenSnapshot> snapshot;
    try {
      snapshot = take ? store.take(key) : store.load(key);
    } catch (RuntimeException e) {
      return failed(key, RestoreFailedException.Reason.STORE_FAILED, null, e);
    }
    if (snapshot == null) {
      String detail = "store " + store.getClass().getName() + " returned null from "
          + (take ? "take" : "load") + " (a store must return Optional.empty() when it has none)";
      return failed(key, RestoreFailedException.Reason.STORE_FAILED, detail,
          new TokenStoreException(detail));
    }
    if (snapshot.isEmpty()) {
      return failed(key, RestoreFailedException.Reason.MISSING, null, null);
    }
    AccessToken token = snapshot.get().accessToken().orElse(null);
    if (token != null && token.isExpired(clock.instant(), leeway)) {
      // Throws under FAIL (the snapshot is left to its TTL); otherwise runs with no caller.
      rules.expired(key);
      token = null;
    } else {
      events.publish(BatonEvent.Type.RESTORED, key, null);
    }
    // A taken snapshot is gone already: nothing is left to clean up.
    return new RestoredTaskScope(new TaskContext(key, token, lifespan, clock, leeway, rules), !take,
        cleanup);
  }

  private RestoredTaskScope failed(TaskKey key, RestoreFailedException.Reason reason,
      @Nullable String detail, @Nullable RuntimeException cause) {
    events.publish(reason == RestoreFailedException.Reason.MISSING ? BatonEvent.Type.MISSING
        : BatonEvent.Type.RESTORE_FAILED, key, cause);
    var failure = detail == null ? new RestoreFailedException(key, reason, cause)
        : new RestoreFailedException(key, reason, detail, cause);
    if (restoreFailurePolicy == RestoreFailurePolicy.FAIL) {
      LOGGER.log(Level.WARNING, "Task " + key + " not run: " + failure.getMessage(), cause);
      throw failure;
    }
    LOGGER.log(Level.WARNING,
        "Task " + key + " runs unauthenticated: " + failure.getMessage(), cause);
    // Not restored, so not ours to delete: the failure may be transient and a retry needs it.
    return new RestoredTaskScope(new TaskContext(key, null, lifespan, clock, leeway, rules), false,
        cleanupPolicy);
  }

  /** A task scope: the thread binding plus the cleanup to run when it closes. */
  private final class RestoredTaskScope implements TaskScope {
    private final TaskContext context;
    final boolean ownsSnapshot;
    private final CleanupPolicy cleanup;
    private ContextStorage.@Nullable Frame frame;
    boolean succeeded;
    private boolean cleanedUp;

    RestoredTaskScope(TaskContext context, boolean ownsSnapshot, CleanupPolicy cleanup) {
      this.context = context;
      this.ownsSnapshot = ownsSnapshot;
      this.cleanup = cleanup;
    }

    ContextStorage.Frame open() {
      // The scope object exists before the thread changes (see ContextStorage).
      ContextStorage.Frame f = ContextStorage.enterTask(context);
      frame = f;
      return f;
    }

    @Override
    public TaskContext context() {
      return context;
    }

    @Override
    public void markSucceeded() {
      succeeded = true;
    }

    @Override
    public void close() {
      ContextStorage.Frame f = frame;
      if (f == null) {
        return;
      }
      // Thread first (the frame's close ends it before anything else, and rejects another
      // thread): even if cleanup misbehaves, the thread is already clean. The flag is set after
      // the cleanup, so a close cut short by an Error cleans up on the next close.
      f.close();
      if (f.isClosed() && ownsSnapshot && !cleanedUp) {
        cleanUp(context.key(), succeeded, cleanup);
        cleanedUp = true;
      }
    }
  }

  private void cleanUp(TaskKey key, boolean succeeded, CleanupPolicy cleanup) {
    boolean delete = switch (cleanup) {
      case DELETE_ON_COMPLETION -> true;
      case DELETE_ON_SUCCESS -> succeeded;
      case TTL_ONLY -> false;
    };
    if (!delete) {
      return;
    }
    try {
      store.delete(key);
      events.publish(BatonEvent.Type.DELETED, key, null);
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING,
          "Could not delete the snapshot of task " + key + "; it expires with its TTL", e);
      events.publish(BatonEvent.Type.CLEANUP_FAILED, key, e);
    }
  }
}
