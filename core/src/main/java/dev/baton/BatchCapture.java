package dev.baton;

import dev.baton.store.BatchSaveException;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * {@link Baton#captureAllAsync}: one caller, many tasks. The caller is judged, and exchanged when
 * delegation is configured, once for the batch by {@link SnapshotCapture}'s rules (the same plan a
 * single capture makes: TTL, expired-caller rule, events), and the one snapshot goes to the store
 * in one {@link TokenSnapshotStore#saveAllAsync} call, which a pipelining store writes in chunks.
 *
 * <p>Events are per key, as for single captures: each stored key gets its
 * {@link BatonEvent.Type#CAPTURED} (or {@code CAPTURED_ANONYMOUS}, {@code CAPTURED_EXPIRED}) once
 * written; a key the store failed gets none. A refused caller publishes
 * {@code CAPTURED_EXPIRED} for every key, and nothing is stored.
 */
final class BatchCapture {
  private final SnapshotCapture capture;

  BatchCapture(SnapshotCapture capture) {
    this.capture = capture;
  }

  /** See {@link Baton#captureAllAsync(Collection)}. */
  CompletableFuture<List<TaskKey>> captureAllAsync(
      Collection<TaskKey> keys, @Nullable AccessToken caller, boolean expired) {
    List<TaskKey> batch = List.copyOf(keys); // a null key is the caller's mistake: thrown at once
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(batch);
    }
    SnapshotCapture.Plan plan;
    try {
      plan = capture.plan(caller, expired);
    } catch (DelegationFailedException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (SnapshotCapture.refused(plan)) {
      RestoreFailedException refused = null;
      for (TaskKey key : batch) {
        RestoreFailedException e = capture.refuse(key, "nothing was stored for any of the "
            + batch.size() + " tasks of the batch");
        refused = refused == null ? e : refused;
      }
      return CompletableFuture.failedFuture(Objects.requireNonNull(refused, "refused"));
    }
    TokenSnapshotStore store = capture.store();
    CompletionStage<Void> written;
    try {
      written = store.saveAllAsync(
          batch, Objects.requireNonNull(plan.snapshot(), "snapshot"), plan.ttl());
    } catch (TokenStoreException e) {
      // A store that throws its backend failure instead of failing the stage: one failure path.
      return CompletableFuture.failedFuture(e);
    }
    if (written == null) {
      return CompletableFuture.failedFuture(new TokenStoreException("store "
          + store.getClass().getName() + " returned null from saveAllAsync for a batch of "
          + batch.size() + " tasks (a store must return a stage)"));
    }
    // A future of our own: completing or cancelling it cannot reach into the store's stage.
    var captured = new CompletableFuture<List<TaskKey>>();
    written.whenComplete((ignored, error) -> {
      try {
        if (error != null) {
          Throwable failure = SnapshotCapture.unwrap(error);
          if (failure instanceof BatchSaveException partial) {
            publishStored(plan, batch, partial.failures());
          }
          captured.completeExceptionally(failure);
          return;
        }
        publishStored(plan, batch, Map.of());
      } catch (Error e) {
        // As for a single capture: an Error from a listener reaches the caller, never a pending
        // future (publish has already logged and dropped RuntimeExceptions).
        captured.completeExceptionally(e);
        return;
      }
      captured.complete(batch);
    });
    return captured;
  }

  /** The event of every key that was stored: those not among {@code failed}. */
  private void publishStored(
      SnapshotCapture.Plan plan, List<TaskKey> batch, Map<TaskKey, Throwable> failed) {
    for (TaskKey key : batch) {
      if (!failed.containsKey(key)) {
        capture.publish(plan, key);
      }
    }
  }
}
