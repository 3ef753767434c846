package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link Baton}. Every setting has a default; without a {@link #store}, the Baton
 * serves in-process work only. Not thread-safe.
 */
public final class BatonBuilder {
  // Package-private: read once, by the constructor of the Baton that build() makes.
  @Nullable TokenSnapshotStore store;
  Clock clock = Clock.systemUTC();
  Duration leeway = Baton.DEFAULT_LEEWAY;
  Duration snapshotTtl = Baton.DEFAULT_SNAPSHOT_TTL;
  CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE_ON_COMPLETION;
  RestoreFailurePolicy restoreFailurePolicy = RestoreFailurePolicy.FAIL;
  RestoreMode restoreMode = RestoreMode.LOAD;
  BatonListener listener = BatonListener.NONE;
  Map<String, Object> lifespan = Map.of();
  @Nullable TokenExchanger delegation;
  boolean delegateInProcess;
  @Nullable Duration heartbeatInterval;

  BatonBuilder() {}

  /**
   * Whether in-process {@link Baton#wrap} exchanges too, at submit, on the submitting thread (a
   * failed exchange throws {@link DelegationFailedException} from {@code execute}/{@code submit},
   * and the task is not queued). Off by default: an in-process task runs while the service still
   * holds the caller's token. For pools whose tasks outlive it (long queues, schedules).
   */
  public BatonBuilder delegateInProcess(boolean delegateInProcess) {
    this.delegateInProcess = delegateInProcess;
    return this;
  }

  /**
   * Exchanges each captured caller's token for a delegated one before it is stored (OAuth 2.0
   * Token Exchange; {@code baton-oauth2}), so a job outliving the caller's token still acts as
   * the caller. The snapshot holds the delegated token only, its TTL cut to that token's expiry
   * plus leeway; a failed exchange fails the capture with {@link DelegationFailedException}.
   * In-process {@link Baton#wrap} does not exchange unless {@link #delegateInProcess}. See
   * {@link TokenExchanger}. Defaults to none.
   */
  public BatonBuilder delegation(TokenExchanger exchanger) {
    this.delegation = Objects.requireNonNull(exchanger, "exchanger");
    return this;
  }

  /**
   * Keeps the snapshot of every task run through {@link Baton#enter}, {@link Baton#run} and
   * {@link Baton#call} alive while it runs: its TTL is renewed to the snapshot TTL every
   * {@code interval}, never past the caller's token expiry plus leeway (see
   * {@link SnapshotHeartbeat}). Off by default; choose an interval well under the snapshot TTL.
   *
   * @throws IllegalArgumentException if not positive
   */
  public BatonBuilder heartbeat(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive: " + interval);
    }
    this.heartbeatInterval = interval;
    return this;
  }

  /**
   * The store snapshots are kept in. Needed for {@link Baton#capture}, {@link Baton#enter},
   * {@link Baton#run} and {@link Baton#call} (they throw {@link IllegalStateException} without
   * one); in-process {@link Baton#wrap} and {@link Baton#bindRequest} need none.
   */
  public BatonBuilder store(TokenSnapshotStore store) {
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /** The clock for capture times and expiry checks; defaults to {@link Clock#systemUTC()}. */
  public BatonBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Clock skew tolerated when checking expiry: a token stays valid until {@code expiresAt +
   * leeway}. Defaults to {@link Baton#DEFAULT_LEEWAY}.
   *
   * @throws IllegalArgumentException if negative
   */
  public BatonBuilder leeway(Duration leeway) {
    Objects.requireNonNull(leeway, "leeway");
    if (leeway.isNegative()) {
      throw new IllegalArgumentException("leeway must not be negative: " + leeway);
    }
    this.leeway = leeway;
    return this;
  }

  /**
   * How long a snapshot is retained at most, when the token's validity does not end it sooner.
   * Defaults to {@link Baton#DEFAULT_SNAPSHOT_TTL}.
   *
   * @throws IllegalArgumentException if not positive
   */
  public BatonBuilder snapshotTtl(Duration snapshotTtl) {
    Objects.requireNonNull(snapshotTtl, "snapshotTtl");
    if (snapshotTtl.isNegative() || snapshotTtl.isZero()) {
      throw new IllegalArgumentException("snapshotTtl must be positive: " + snapshotTtl);
    }
    this.snapshotTtl = snapshotTtl;
    return this;
  }

  /** When snapshots are deleted; defaults to {@link CleanupPolicy#DELETE_ON_COMPLETION}. */
  public BatonBuilder cleanupPolicy(CleanupPolicy cleanupPolicy) {
    this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
    return this;
  }

  /** What a failed restore does; defaults to {@link RestoreFailurePolicy#FAIL}. */
  public BatonBuilder restoreFailurePolicy(RestoreFailurePolicy restoreFailurePolicy) {
    this.restoreFailurePolicy =
        Objects.requireNonNull(restoreFailurePolicy, "restoreFailurePolicy");
    return this;
  }

  /**
   * How a worker reads a snapshot; defaults to {@link RestoreMode#LOAD} (see {@link RestoreMode}
   * for why, and for what {@link RestoreMode#TAKE} requires).
   */
  public BatonBuilder restoreMode(RestoreMode restoreMode) {
    this.restoreMode = Objects.requireNonNull(restoreMode, "restoreMode");
    return this;
  }

  /** Receives capture, restore and cleanup events; defaults to {@link BatonListener#NONE}. */
  public BatonBuilder listener(BatonListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * The application's lifespan context, reachable from every task through
   * {@link TaskContext#lifespan()}. Copied; keys and values must not be null. Defaults to an empty
   * map.
   *
   * @throws NullPointerException if the map, or a key or value in it, is null
   */
  public BatonBuilder lifespan(Map<String, ?> lifespan) {
    Objects.requireNonNull(lifespan, "lifespan");
    this.lifespan = Map.copyOf(lifespan);
    return this;
  }

  /**
   * A new {@link Baton}.
   *
   * @throws IllegalStateException if {@link #delegateInProcess} is set without a
   *     {@link #delegation}, or {@link RestoreMode#TAKE} is set with a store that does not
   *     declare {@code take} in its capabilities (or with no store), with
   *     {@link RestoreFailurePolicy#RUN_UNAUTHENTICATED}, or with a cleanup policy other than
   *     {@link CleanupPolicy#DELETE_ON_COMPLETION}
   */
  public Baton build() {
    if (delegateInProcess && delegation == null) {
      throw new IllegalStateException("delegateInProcess needs delegation(...) to be set");
    }
    if (restoreMode == RestoreMode.TAKE) {
      checkTakeMode();
    }
    return new Baton(this);
  }

  private void checkTakeMode() {
    TokenSnapshotStore s = store;
    if (s == null || !s.capabilities().take()) {
      throw new IllegalStateException("restoreMode TAKE needs a store that declares take in"
          + " capabilities(); " + (s == null ? "no store is set"
          : s.getClass().getName() + " does not") + " (use RestoreMode.LOAD)");
    }
    if (restoreFailurePolicy != RestoreFailurePolicy.FAIL) {
      throw new IllegalStateException("restoreMode TAKE needs restoreFailurePolicy FAIL: under "
          + restoreFailurePolicy + " a task whose snapshot was already taken would run again");
    }
    if (cleanupPolicy != CleanupPolicy.DELETE_ON_COMPLETION) {
      throw new IllegalStateException("restoreMode TAKE consumes the snapshot, so cleanupPolicy "
          + cleanupPolicy + " has nothing to keep for a retry; use DELETE_ON_COMPLETION");
    }
  }
}
