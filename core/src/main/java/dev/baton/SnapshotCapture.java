package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The submit side of {@link Baton#capture}: decides what a capture saves and for how long, writes
 * it (waiting, or through {@link TokenSnapshotStore#saveAsync}), and publishes the event that says
 * what was saved. The synchronous and the asynchronous capture share every decision, so they can
 * only differ in when the caller learns the outcome.
 *
 * <p>What is saved: the caller's token with a TTL of the configured snapshot TTL cut to the token's
 * remaining validity plus leeway (saturating: a leeway or expiry too large to add means "as long as
 * possible", never an arithmetic error); or an anonymous marker, with the full snapshot TTL, when
 * there is no caller or its token has already expired (the store never holds a dead credential).
 */
final class SnapshotCapture {
  private final TokenSnapshotStore store;
  private final Clock clock;
  private final Duration leeway;
  private final Duration snapshotTtl;
  private final BatonEvents events;

  SnapshotCapture(TokenSnapshotStore store, Clock clock, Duration leeway, Duration snapshotTtl,
      BatonEvents events) {
    this.store = store;
    this.clock = clock;
    this.leeway = leeway;
    this.snapshotTtl = snapshotTtl;
    this.events = events;
  }

  /** What one capture writes, and the event that reports it once written. */
  private record Plan(TokenSnapshot snapshot, Duration ttl, BatonEvent.Type event) {}

  private Plan plan(@Nullable AccessToken caller) {
    Instant now = clock.instant();
    if (caller == null) {
      return new Plan(TokenSnapshot.ofNullable(null, now), snapshotTtl,
          BatonEvent.Type.CAPTURED_ANONYMOUS);
    }
    if (caller.isExpired(now, leeway)) {
      return new Plan(TokenSnapshot.ofNullable(null, now), snapshotTtl,
          BatonEvent.Type.CAPTURED_EXPIRED);
    }
    Duration ttl = snapshotTtl;
    Instant expiresAt = caller.expiresAt();
    if (expiresAt != null) {
      Duration validity = saturatedPlus(Duration.between(now, expiresAt), leeway);
      if (validity.compareTo(ttl) < 0) {
        ttl = validity;
      }
    }
    return new Plan(TokenSnapshot.ofNullable(caller, now), ttl, BatonEvent.Type.CAPTURED);
  }

  /** Saves and waits; see {@link Baton#capture(TaskKey, AccessToken)}. */
  TaskKey capture(TaskKey key, @Nullable AccessToken caller) {
    Plan plan = plan(caller);
    store.save(key, plan.snapshot(), plan.ttl());
    events.publish(plan.event(), key, null);
    return key;
  }

  /** Saves without waiting; see {@link Baton#captureAsync(TaskKey, AccessToken)}. */
  CompletableFuture<TaskKey> captureAsync(TaskKey key, @Nullable AccessToken caller) {
    Plan plan = plan(caller);
    CompletionStage<Void> written;
    try {
      written = store.saveAsync(key, plan.snapshot(), plan.ttl());
    } catch (TokenStoreException e) {
      // A store that throws its backend failure instead of failing the stage: report it the way
      // the contract says, so callers handle one failure path.
      return CompletableFuture.failedFuture(e);
    }
    if (written == null) {
      return CompletableFuture.failedFuture(new TokenStoreException("store "
          + store.getClass().getName() + " returned null from saveAsync for task " + key
          + " (a store must return a stage)"));
    }
    // A future of our own: completing or cancelling it cannot reach into the store's stage.
    var captured = new CompletableFuture<TaskKey>();
    written.whenComplete((ignored, error) -> {
      if (error != null) {
        captured.completeExceptionally(unwrap(error));
        return;
      }
      try {
        events.publish(plan.event(), key, null);
      } catch (Error e) {
        // As in the synchronous path, an Error from a listener reaches the caller (publish has
        // already logged and dropped RuntimeExceptions); it must not leave the future pending.
        captured.completeExceptionally(e);
        return;
      }
      captured.complete(key);
    });
    return captured;
  }

  /** The store's own exception, not the CompletionException a derived stage wraps it in. */
  private static Throwable unwrap(Throwable error) {
    Throwable cause = error.getCause();
    return error instanceof CompletionException && cause != null ? cause : error;
  }

  /** {@code a + b}, or the longest Duration when that overflows (leeway may be "forever"). */
  private static Duration saturatedPlus(Duration a, Duration b) {
    try {
      return a.plus(b);
    } catch (ArithmeticException tooLong) {
      return Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    }
  }
}
