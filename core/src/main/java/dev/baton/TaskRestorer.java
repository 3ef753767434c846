package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The worker side of {@link Baton#enter}: reads a snapshot per {@link RestoreMode}, applies the
 * {@link RestoreFailurePolicy}, opens the task's scope and cleans up per {@link CleanupPolicy}.
 *
 * <p>A snapshot is deleted only by the task that restored it: a task that runs unauthenticated
 * after a failed load never deletes (the failure may be transient, and a retry must still find the
 * caller), and one that took its snapshot has nothing left to delete.
 */
final class TaskRestorer {
  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());

  private final TokenSnapshotStore store;
  private final RestoreMode restoreMode;
  private final CleanupPolicy cleanupPolicy;
  private final RestoreFailurePolicy restoreFailurePolicy;
  private final BatonEvents events;
  private final Map<String, Object> lifespan;
  private final Clock clock;
  private final Duration leeway;

  TaskRestorer(TokenSnapshotStore store, RestoreMode restoreMode, CleanupPolicy cleanupPolicy,
      RestoreFailurePolicy restoreFailurePolicy, BatonEvents events, Map<String, Object> lifespan,
      Clock clock, Duration leeway) {
    this.store = store;
    this.restoreMode = restoreMode;
    this.cleanupPolicy = cleanupPolicy;
    this.restoreFailurePolicy = restoreFailurePolicy;
    this.events = events;
    this.lifespan = lifespan;
    this.clock = clock;
    this.leeway = leeway;
  }

  TaskScope enter(TaskKey key) {
    return enter(key, cleanupPolicy);
  }

  /** As {@link #enter(TaskKey)} with another cleanup policy for this task (issue 23). */
  TaskScope enter(TaskKey key, CleanupPolicy cleanup) {
    RestoredTaskScope scope = restore(key, cleanup);
    scope.open();
    return scope;
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
    boolean expired = token != null && token.isExpired(clock.instant(), leeway);
    events.publish(expired ? BatonEvent.Type.EXPIRED : BatonEvent.Type.RESTORED, key, null);
    // A taken snapshot is gone already: nothing is left to clean up.
    return new RestoredTaskScope(new TaskContext(key, token, lifespan, clock, leeway), !take,
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
    return new RestoredTaskScope(new TaskContext(key, null, lifespan, clock, leeway), false,
        cleanupPolicy);
  }

  /** A task scope: the thread binding plus the cleanup to run when it closes. */
  private final class RestoredTaskScope implements TaskScope {
    private final TaskContext context;
    private final boolean ownsSnapshot;
    private final CleanupPolicy cleanup;
    private ContextStorage.@Nullable FrameScope frame;
    private boolean succeeded;
    private boolean cleanedUp;

    RestoredTaskScope(TaskContext context, boolean ownsSnapshot, CleanupPolicy cleanup) {
      this.context = context;
      this.ownsSnapshot = ownsSnapshot;
      this.cleanup = cleanup;
    }

    void open() {
      // The scope object exists before the thread changes (see ContextStorage).
      frame = ContextStorage.enterTask(context);
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
      ContextStorage.FrameScope f = frame;
      if (f == null) {
        return;
      }
      // Thread first: even if cleanup misbehaves, the thread is already clean. The flag is set
      // after the cleanup, so a close cut short by an Error cleans up on the next close.
      f.restore();
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
