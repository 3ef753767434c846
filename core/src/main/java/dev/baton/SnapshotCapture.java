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
 *
 * <p>With a {@link TokenExchanger} (delegation), a present, unexpired caller is exchanged first and
 * the delegated token takes its place in every rule above: it is what is saved, and its expiry cuts
 * the TTL. A failed or contract-breaking exchange throws {@link DelegationFailedException} before
 * anything is written.
 */
final class SnapshotCapture {
  private final TokenSnapshotStore store;
  private final Clock clock;
  private final Duration leeway;
  private final Duration snapshotTtl;
  private final BatonEvents events;
  private final @Nullable TokenExchanger exchanger;

  SnapshotCapture(TokenSnapshotStore store, Clock clock, Duration leeway, Duration snapshotTtl,
      BatonEvents events, @Nullable TokenExchanger exchanger) {
    this.store = store;
    this.clock = clock;
    this.leeway = leeway;
    this.snapshotTtl = snapshotTtl;
    this.events = events;
    this.exchanger = exchanger;
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
    if (exchanger != null) {
      caller = delegate(exchanger, caller, now, leeway);
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

  /**
   * The delegated token for {@code caller}, held to {@link TokenExchanger}'s contract: never the
   * caller's own bearer value, never already expired, never a silent fallback.
   */
  static AccessToken delegate(TokenExchanger exchanger, AccessToken caller, Instant now,
      Duration leeway) {
    AccessToken delegated;
    try {
      delegated = exchanger.exchange(caller);
    } catch (DelegationFailedException e) {
      throw e;
    } catch (RuntimeException e) {
      // The exchanger's own message may not be ours to repeat: name its class only.
      throw new DelegationFailedException(DelegationFailedException.Reason.FAILED,
          "token exchanger " + exchanger.getClass().getName() + " threw "
          + e.getClass().getName(), e);
    }
    if (delegated == null) {
      throw new DelegationFailedException(DelegationFailedException.Reason.INVALID_RESPONSE,
          "token exchanger " + exchanger.getClass().getName() + " returned null", null);
    }
    if (delegated.token().equals(caller.token())) {
      throw new DelegationFailedException(DelegationFailedException.Reason.INVALID_RESPONSE,
          "the exchange returned the caller's own token, which must not be stored in place of a"
          + " delegated one", null);
    }
    if (delegated.isExpired(now, leeway)) {
      throw new DelegationFailedException(DelegationFailedException.Reason.INVALID_RESPONSE,
          "the delegated token had already expired at capture (expiresAt "
          + delegated.expiresAt() + ", now " + now + ")", null);
    }
    return delegated;
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
    Plan plan;
    try {
      plan = plan(caller);
    } catch (DelegationFailedException e) {
      // A machinery failure, like the store's: reported through the future.
      return CompletableFuture.failedFuture(e);
    }
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
