package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a running task's snapshot alive: a sliding TTL, so that a task (or a job on a job engine)
 * that runs longer than the snapshot TTL still finds its caller when it is retried after its worker
 * died.
 *
 * <p>A {@link Lease} renews the snapshot's TTL to the configured snapshot TTL every
 * {@link #interval()} with {@link TokenSnapshotStore#touch}, until it is closed. A renewal never
 * reaches past the caller's token expiry plus leeway: once that moment has passed the lease stops,
 * and the snapshot expires with the TTL it has (a store never holds a dead credential longer than
 * it would have without a heartbeat). The lease also stops when the snapshot is gone (deleted,
 * taken, expired). A failed renewal is logged at WARNING (naming the key, never the token) and
 * tried again at the next beat.
 *
 * <p>Obtain one from {@link Baton#heartbeat()}; {@link BatonBuilder#heartbeat(Duration)} makes
 * {@link Baton#enter}, {@link Baton#run} and {@link Baton#call} hold a lease around every task.
 * Beats run on one shared daemon thread ({@code baton-heartbeat}); keep the store's operations
 * quick. With a store that does not support {@code touch}, leases do nothing.
 *
 * <p>Thread-safe.
 */
public final class SnapshotHeartbeat {
  private static final System.Logger LOGGER = System.getLogger(SnapshotHeartbeat.class.getName());

  private final TokenSnapshotStore store;
  private final Clock clock;
  private final Duration leeway;
  private final Duration ttl;
  private final Duration interval;

  SnapshotHeartbeat(TokenSnapshotStore store, Clock clock, Duration leeway, Duration ttl,
      Duration interval) {
    this.store = store;
    this.clock = clock;
    this.leeway = leeway;
    this.ttl = ttl;
    this.interval = interval;
  }

  /** The default interval for a snapshot TTL: a third of it, so two beats may fail in a row. */
  static Duration defaultInterval(Duration snapshotTtl) {
    Duration third = snapshotTtl.dividedBy(3);
    return third.isZero() ? snapshotTtl : third;
  }

  /** How often a lease renews its snapshot. */
  public Duration interval() {
    return interval;
  }

  /** The TTL each renewal sets (before the cut at the token's expiry plus leeway). */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Starts renewing the snapshot under {@code key} every {@link #interval()} until the lease is
   * closed. The first renewal happens one interval from now (the snapshot was just read).
   *
   * @param tokenExpiresAt the caller's token expiry (renewals stop at it plus leeway), or
   *     {@code null} when the token does not expire or the caller is anonymous
   * @throws NullPointerException if {@code key} is null
   */
  public Lease keepAlive(TaskKey key, @Nullable Instant tokenExpiresAt) {
    Objects.requireNonNull(key, "key");
    Lease lease = new Lease(key, deadline(tokenExpiresAt));
    if (store.capabilities().touch()) {
      long nanos = interval.toNanos();
      lease.future = Scheduler.INSTANCE.scheduleWithFixedDelay(
          lease::beatQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
      if (!lease.isActive()) {
        lease.end(); // ended by a first beat before its future was set: cancel it now
      }
    } else {
      lease.ended = true;
    }
    return lease;
  }

  /**
   * Extends the snapshot under {@code key} once, to {@code retention} from now cut at its token's
   * expiry plus leeway: for a job engine that schedules a retry later than the snapshot TTL. Loads
   * the snapshot to learn the expiry.
   *
   * @return whether a live snapshot was found and extended; {@code false} when it is gone, its
   *     token has expired, or the store does not support touch
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code retention} is not positive
   * @throws dev.baton.store.TokenStoreException if the store fails
   */
  public boolean retain(TaskKey key, Duration retention) {
    Objects.requireNonNull(key, "key");
    TokenSnapshotStore.requirePositiveTtl(retention);
    if (!store.capabilities().touch()) {
      return false;
    }
    Optional<TokenSnapshot> snapshot = store.load(key);
    if (snapshot == null || snapshot.isEmpty()) {
      return false;
    }
    Instant expiresAt = snapshot.get().accessToken().map(AccessToken::expiresAt).orElse(null);
    Duration cut = cut(retention, deadline(expiresAt));
    return cut != null && store.touch(key, cut);
  }

  private @Nullable Instant deadline(@Nullable Instant tokenExpiresAt) {
    if (tokenExpiresAt == null) {
      return null;
    }
    try {
      return tokenExpiresAt.plus(leeway);
    } catch (ArithmeticException | java.time.DateTimeException tooLate) {
      return null; // beyond Instant.MAX: no deadline in practice
    }
  }

  /** {@code wanted}, cut at {@code deadline}; null when the deadline has passed. */
  private @Nullable Duration cut(Duration wanted, @Nullable Instant deadline) {
    if (deadline == null) {
      return wanted;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (left.isNegative() || left.isZero()) {
      return null;
    }
    return left.compareTo(wanted) < 0 ? left : wanted;
  }

  /**
   * One task's hold on its snapshot. Closing it stops the renewals (idempotent); it does not delete
   * the snapshot. Thread-safe.
   */
  public final class Lease implements AutoCloseable {
    private final TaskKey key;
    private final @Nullable Instant deadline;
    private volatile @Nullable ScheduledFuture<?> future;
    private volatile boolean ended;

    Lease(TaskKey key, @Nullable Instant deadline) {
      this.key = key;
      this.deadline = deadline;
    }

    /** The snapshot this lease keeps alive. */
    public TaskKey key() {
      return key;
    }

    /** Whether renewals go on: not closed, deadline not passed, snapshot still there. */
    public boolean isActive() {
      return !ended;
    }

    /**
     * Renews the snapshot now (what every scheduled beat does).
     *
     * @return whether the lease is still active afterwards
     * @throws dev.baton.store.TokenStoreException if the store fails (the lease stays active)
     */
    public boolean beat() {
      if (ended) {
        end(); // cancels the schedule, in case it was set after the lease ended
        return false;
      }
      Duration next = cut(ttl, deadline);
      if (next == null || !store.touch(key, next)) {
        end();
        return false;
      }
      return true;
    }

    private void beatQuietly() {
      try {
        beat();
      } catch (RuntimeException e) {
        LOGGER.log(Level.WARNING, "Could not renew the snapshot of task " + key
            + "; trying again in " + interval, e);
      }
    }

    private void end() {
      ended = true;
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }

    /** Stops the renewals. */
    @Override
    public void close() {
      end();
    }

    @Override
    public String toString() {
      return "SnapshotHeartbeat.Lease[" + key + (ended ? ", ended]" : ", active]");
    }
  }

  /** The one daemon thread every lease beats on, started on first use. */
  private static final class Scheduler {
    static final ScheduledExecutorService INSTANCE = create();

    private static ScheduledExecutorService create() {
      var executor = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "baton-heartbeat");
        thread.setDaemon(true);
        return thread;
      });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }
}
