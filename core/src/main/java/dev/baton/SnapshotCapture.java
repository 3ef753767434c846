package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
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
 * there is no caller. The store never holds a dead credential, and an expired caller never silently
 * becomes "no caller": a caller whose token has already expired is refused under
 * {@link RestoreFailurePolicy#FAIL} ({@link RestoreFailedException}, {@code CALLER_EXPIRED}, nothing
 * saved) and saved as anonymous under {@link RestoreFailurePolicy#RUN_UNAUTHENTICATED}; either way
 * the event is {@link BatonEvent.Type#CAPTURED_EXPIRED}.
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
  private final RestoreFailurePolicy policy;
  private final @Nullable TokenExchanger exchanger;

  SnapshotCapture(TokenSnapshotStore store, Clock clock, Duration leeway, Duration snapshotTtl,
      CallerRules rules, @Nullable TokenExchanger exchanger) {
    this.store = store;
    this.clock = clock;
    this.leeway = leeway;
    this.snapshotTtl = snapshotTtl;
    this.events = rules.events();
    this.policy = rules.policy();
    this.exchanger = exchanger;
  }

  /**
   * What a capture writes, and the event that reports it once written; no snapshot for an expired
   * caller under {@code FAIL}, which writes nothing.
   */
  record Plan(@Nullable TokenSnapshot snapshot, Duration ttl, BatonEvent.Type event) {}

  /** The plan of a refused capture: nothing written (see {@link #refuse}). */
  private static final Plan REFUSED =
      new Plan(null, Duration.ZERO, BatonEvent.Type.CAPTURED_EXPIRED);

  void publish(Plan plan, TaskKey key) {
    events.publish(plan.event(), key, null);
  }

  TokenSnapshotStore store() {
    return store;
  }

  /**
   * Decides what a capture of {@code caller} saves, once for any number of keys: the delegation
   * exchange, if any, happens here.
   *
   * @param expired the caller is known to have expired already (by the clock and leeway of the
   *     Baton that bound it, which a longer leeway here must not bring back to life)
   * @return the plan, or one with no snapshot ({@link #refused}) when an expired caller must not
   *     be captured; then {@link #refuse} reports it
   * @throws DelegationFailedException if the exchange fails
   */
  Plan plan(@Nullable AccessToken caller, boolean expired) {
    Instant now = clock.instant();
    if (caller == null) {
      return new Plan(TokenSnapshot.ofNullable(null, now), snapshotTtl,
          BatonEvent.Type.CAPTURED_ANONYMOUS);
    }
    if (expired || caller.isExpired(now, leeway)) {
      if (policy == RestoreFailurePolicy.FAIL) {
        return REFUSED;
      }
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

  static boolean refused(Plan plan) {
    return plan.snapshot() == null;
  }

  /**
   * Reports a refused capture under {@code key}: publishes {@link BatonEvent.Type#CAPTURED_EXPIRED}
   * and returns the exception to throw.
   */
  RestoreFailedException refuse(TaskKey key, String detail) {
    events.publish(BatonEvent.Type.CAPTURED_EXPIRED, key, null);
    return new RestoreFailedException(key, RestoreFailedException.Reason.CALLER_EXPIRED,
        "it had expired before it was captured; " + detail, null);
  }

  /** The plan for one key, throwing when refused. */
  private Plan planOne(TaskKey key, @Nullable AccessToken caller, boolean expired) {
    Plan plan = plan(caller, expired);
    if (refused(plan)) {
      throw refuse(key, "nothing was stored");
    }
    return plan;
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
  TaskKey capture(TaskKey key, @Nullable AccessToken caller, boolean expired) {
    Plan plan = planOne(key, caller, expired);
    store.save(key, Objects.requireNonNull(plan.snapshot(), "snapshot"), plan.ttl());
    publish(plan, key);
    return key;
  }

  /** Saves without waiting; see {@link Baton#captureAsync(TaskKey, AccessToken)}. */
  CompletableFuture<TaskKey> captureAsync(
      TaskKey key, @Nullable AccessToken caller, boolean expired) {
    Plan plan;
    try {
      plan = planOne(key, caller, expired);
    } catch (RestoreFailedException | DelegationFailedException e) {
      // Refused or a machinery failure, like the store's: reported through the future.
      return CompletableFuture.failedFuture(e);
    }
    CompletionStage<Void> written;
    try {
      written = store.saveAsync(
          key, Objects.requireNonNull(plan.snapshot(), "snapshot"), plan.ttl());
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
        publish(plan, key);
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
  static Throwable unwrap(Throwable error) {
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
