package dev.baton;

import java.time.Instant;

/**
 * A task scope that holds a {@link SnapshotHeartbeat.Lease} while it is open: what
 * {@link Baton#enter} returns when {@link BatonBuilder#heartbeat} is set. Closing stops the lease
 * first, then closes the task's scope (which may delete the snapshot).
 */
final class LeasedTaskScope implements TaskScope {
  private final TaskScope scope;
  private final SnapshotHeartbeat.Lease lease;

  private LeasedTaskScope(TaskScope scope, SnapshotHeartbeat.Lease lease) {
    this.scope = scope;
    this.lease = lease;
  }

  /** {@code scope} with a lease on its snapshot, cut at its caller's token expiry. */
  static TaskScope of(TaskScope scope, SnapshotHeartbeat heartbeat) {
    Instant expiresAt = scope.context().accessToken().map(AccessToken::expiresAt).orElse(null);
    SnapshotHeartbeat.Lease lease;
    try {
      lease = heartbeat.keepAlive(scope.context().key(), expiresAt);
    } catch (RuntimeException | Error e) {
      scope.close();
      throw e;
    }
    return new LeasedTaskScope(scope, lease);
  }

  @Override
  public TaskContext context() {
    return scope.context();
  }

  @Override
  public void markSucceeded() {
    scope.markSucceeded();
  }

  @Override
  public void close() {
    try {
      lease.close();
    } finally {
      scope.close();
    }
  }
}
