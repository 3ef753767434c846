package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Lets a background task act as the caller who submitted it.
 *
 * <p>At submit, {@link #capture(TaskKey)} saves the current caller's token (or an explicit anonymous
 * marker) in a {@link TokenSnapshotStore}. In the worker &mdash; another thread or another process
 * &mdash; {@link #run}, {@link #call} or {@link #enter} restore it into a {@link TaskContext} before
 * the task's code runs, so plain calls to {@link #currentToken()} anywhere in the task answer with
 * the caller. For in-process work, {@link #wrap(ExecutorService)} does both for every task, with
 * the snapshot travelling in memory alongside the task.
 *
 * <pre>{@code
 * Baton baton = Baton.builder().store(store).build();
 *
 * // request thread
 * try (Scope request = baton.bindRequest(authenticatedToken)) {
 *   TaskKey key = baton.capture();              // random id in the caller's scope
 *   queue.send(key);
 * }
 *
 * // worker
 * baton.run(key, () -> callDownstreamAs(Baton.currentToken().orElseThrow()));
 * }</pre>
 *
 * <p><b>Resolution.</b> {@link #currentToken()} answers from the request binding when the thread has
 * one, else from the task context, else empty; an expired token reads as empty.
 *
 * <p><b>Cleanup.</b> Scopes restore the thread exactly, even when the task throws; a failed restore
 * leaves nothing on the thread. The snapshot is deleted or left to expire per {@link CleanupPolicy};
 * its TTL is never longer than {@link Builder#snapshotTtl} nor the token's remaining validity plus
 * leeway.
 *
 * <p>Thread-safe; build one per application and share it.
 */
public final class Baton {
  /** Default retention of a snapshot when the token's own expiry does not cut it shorter. */
  public static final Duration DEFAULT_SNAPSHOT_TTL = Duration.ofHours(1);
  /** Default tolerance for clock skew when checking expiry. */
  public static final Duration DEFAULT_LEEWAY = Duration.ZERO;

  private static final System.Logger LOGGER = System.getLogger(Baton.class.getName());
  /** The {@link TaskKey#scope()} of in-process tasks, whose snapshots never reach the store. */
  static final String LOCAL_SCOPE = "local";

  private final TokenSnapshotStore store;
  private final Clock clock;
  private final Duration leeway;
  private final Duration snapshotTtl;
  private final CleanupPolicy cleanupPolicy;
  private final RestoreFailurePolicy restoreFailurePolicy;
  private final BatonListener listener;
  private final Map<String, Object> lifespan;
  private final AtomicLong localTaskIds = new AtomicLong();

  private Baton(Builder builder) {
    this.store = Objects.requireNonNull(builder.store, "store must be set");
    this.clock = builder.clock;
    this.leeway = builder.leeway;
    this.snapshotTtl = builder.snapshotTtl;
    this.cleanupPolicy = builder.cleanupPolicy;
    this.restoreFailurePolicy = builder.restoreFailurePolicy;
    this.listener = builder.listener;
    this.lifespan = builder.lifespan;
  }

  /** A builder; {@link Builder#store} is the one required setting. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- resolution

  /**
   * The caller the current thread acts for: the request binding's token if the thread has one
   * ({@link #bindRequest}), else the running task's caller, else empty. Expired tokens read as
   * empty. Never reaches a store.
   */
  public static Optional<AccessToken> currentToken() {
    return ContextStorage.currentToken();
  }

  /**
   * Binds the current thread to a request's caller until the returned scope is closed: the
   * request side of Baton, for the code that authenticates a request.
   *
   * @param token the authenticated caller, or {@code null} for an unauthenticated request
   */
  public Scope bindRequest(@Nullable AccessToken token) {
    return ContextStorage.bindRequest(new ContextStorage.RequestBinding(token, clock, leeway));
  }

  // ---------------------------------------------------------------- capture

  /**
   * Captures the current caller ({@link #currentToken()}) under a new random key in that caller's
   * scope ({@link TaskKey#random}).
   *
   * @return the key to hand to the worker
   * @throws IllegalArgumentException if the token is larger than the store accepts (the message
   *     states the sizes, never the token); nothing is stored
   * @throws dev.baton.store.TokenStoreException if the store fails
   */
  public TaskKey capture() {
    AccessToken caller = currentToken().orElse(null);
    TaskKey key = TaskKey.random(caller);
    capture(key, caller);
    return key;
  }

  /**
   * Captures the current caller ({@link #currentToken()}) under {@code key}.
   *
   * @return {@code key}
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if the token is larger than the store accepts (the message
   *     states the sizes, never the token); nothing is stored
   * @throws dev.baton.store.TokenStoreException if the store fails
   */
  public TaskKey capture(TaskKey key) {
    Objects.requireNonNull(key, "key");
    return capture(key, currentToken().orElse(null));
  }

  /**
   * Saves {@code caller} (or an anonymous marker when null) under {@code key}, replacing any earlier
   * snapshot there.
   *
   * <p>The TTL is the configured {@link Builder#snapshotTtl}, cut to the token's remaining validity
   * plus leeway. A token that has already expired is saved as anonymous: the worker would see no
   * token either way, and the store never holds a dead credential.
   *
   * @return {@code key}
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if the token is larger than the store accepts (the message
   *     states the sizes, never the token); nothing is stored
   * @throws dev.baton.store.TokenStoreException if the store fails
   */
  public TaskKey capture(TaskKey key, @Nullable AccessToken caller) {
    Objects.requireNonNull(key, "key");
    Instant now = clock.instant();
    Duration ttl = snapshotTtl;
    AccessToken saved = caller;
    if (caller != null) {
      Instant expiresAt = caller.expiresAt();
      if (caller.isExpired(now, leeway)) {
        saved = null;
      } else if (expiresAt != null) {
        Duration validity = Duration.between(now, expiresAt).plus(leeway);
        if (validity.compareTo(ttl) < 0) {
          ttl = validity;
        }
      }
    }
    store.save(key, TokenSnapshot.ofNullable(saved, now), ttl);
    publish(caller != null && saved == null ? BatonEvent.Type.CAPTURED_EXPIRED
        : BatonEvent.Type.CAPTURED, key, null);
    return key;
  }

  // ---------------------------------------------------------------- restore

  /**
   * Restores the caller captured under {@code key} and installs it on the current thread until the
   * returned scope closes. Both slots are overwritten: the task never inherits the identity the
   * thread held before.
   *
   * <p>If the snapshot is missing or the store fails, the {@link RestoreFailurePolicy} decides: under
   * {@code FAIL} this throws and the thread is left exactly as it was; under
   * {@code RUN_UNAUTHENTICATED} the scope opens without a token. Either way one warning is logged.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}, naming the key
   */
  public TaskScope enter(TaskKey key) {
    Objects.requireNonNull(key, "key");
    TaskContext context = restore(key);
    return new RestoredTaskScope(context, ContextStorage.enterTask(context));
  }

  /**
   * Runs {@code task} as the caller captured under {@code key}: {@link #enter}, run, close.
   *
   * @throws NullPointerException if an argument is null
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}; the task did not run
   */
  public void run(TaskKey key, Runnable task) {
    Objects.requireNonNull(task, "task");
    try (TaskScope scope = enter(key)) {
      task.run();
      scope.markSucceeded();
    }
  }

  /**
   * Calls {@code task} as the caller captured under {@code key}: {@link #enter}, call, close.
   *
   * @return what {@code task} returned
   * @throws NullPointerException if an argument is null
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}; the task did not run
   * @throws Exception what {@code task} threw
   */
  public <T> T call(TaskKey key, Callable<T> task) throws Exception {
    Objects.requireNonNull(task, "task");
    try (TaskScope scope = enter(key)) {
      T result = task.call();
      scope.markSucceeded();
      return result;
    }
  }

  // ---------------------------------------------------------------- executors

  /**
   * An executor service whose tasks run as the caller who submitted them: the submitting thread's
   * caller ({@link #currentToken()}) is captured at submit and installed, as a {@link TaskContext},
   * on the thread that runs the task. Shutting the wrapper down shuts {@code delegate} down.
   *
   * <p>In-process, the snapshot travels with the task instead of through the store: a task can
   * never find its snapshot gone, the store is not a point of failure for local work, and no store
   * round trip is paid. Everything else is as for {@link #run}: the expiry check on every read,
   * the lifespan context, and a thread left exactly as it was found. Works with any executor
   * service, including virtual-thread-per-task executors.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public ExecutorService wrap(ExecutorService delegate) {
    return new PropagatingExecutorService(this, delegate);
  }

  /**
   * An executor whose tasks run as the caller who submitted them (see
   * {@link #wrap(ExecutorService)}); for
   * {@code CompletableFuture.supplyAsync(supplier, baton.wrap(executor))}.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public Executor wrap(Executor delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return command -> {
      Objects.requireNonNull(command, "command");
      TaskContext context = captureLocal();
      delegate.execute(() -> runLocal(context, command));
    };
  }

  /** Captures the current caller for an in-process task; see {@link #wrap(ExecutorService)}. */
  TaskContext captureLocal() {
    // currentToken() has already dropped an expired token: such a caller runs anonymous, as the
    // store path does.
    AccessToken caller = currentToken().orElse(null);
    TaskKey key = new TaskKey(LOCAL_SCOPE, Long.toString(localTaskIds.incrementAndGet()));
    return new TaskContext(key, caller, lifespan, clock, leeway);
  }

  static void runLocal(TaskContext context, Runnable task) {
    try (Scope scope = ContextStorage.enterTask(context)) {
      task.run();
    }
  }

  static <T> T callLocal(TaskContext context, Callable<T> task) throws Exception {
    try (Scope scope = ContextStorage.enterTask(context)) {
      return task.call();
    }
  }

  // ---------------------------------------------------------------- accessors

  /** The store snapshots are kept in. */
  public TokenSnapshotStore store() {
    return store;
  }

  /** The clock expiry is checked against. */
  public Clock clock() {
    return clock;
  }

  /** The application's lifespan context; an empty map when none was set. */
  public Map<String, Object> lifespan() {
    return lifespan;
  }

  // ---------------------------------------------------------------- internals

  private TaskContext restore(TaskKey key) {
    Optional<TokenSnapshot> snapshot;
    try {
      snapshot = store.load(key);
    } catch (RuntimeException e) {
      return restoreFailed(key, RestoreFailedException.Reason.STORE_FAILED, e);
    }
    if (snapshot.isEmpty()) {
      return restoreFailed(key, RestoreFailedException.Reason.MISSING, null);
    }
    AccessToken token = snapshot.get().accessToken().orElse(null);
    boolean expired = token != null && token.isExpired(clock.instant(), leeway);
    publish(expired ? BatonEvent.Type.EXPIRED : BatonEvent.Type.RESTORED, key, null);
    return new TaskContext(key, token, lifespan, clock, leeway);
  }

  private TaskContext restoreFailed(
      TaskKey key, RestoreFailedException.Reason reason, @Nullable RuntimeException cause) {
    publish(reason == RestoreFailedException.Reason.MISSING ? BatonEvent.Type.MISSING
        : BatonEvent.Type.RESTORE_FAILED, key, cause);
    var failure = new RestoreFailedException(key, reason, cause);
    if (restoreFailurePolicy == RestoreFailurePolicy.FAIL) {
      LOGGER.log(Level.WARNING, "Task " + key + " not run: " + failure.getMessage(), cause);
      throw failure;
    }
    LOGGER.log(Level.WARNING,
        "Task " + key + " runs unauthenticated: " + failure.getMessage(), cause);
    return new TaskContext(key, null, lifespan, clock, leeway);
  }

  private void cleanUp(TaskKey key, boolean succeeded) {
    boolean delete = switch (cleanupPolicy) {
      case DELETE_ON_COMPLETION -> true;
      case DELETE_ON_SUCCESS -> succeeded;
      case TTL_ONLY -> false;
    };
    if (!delete) {
      return;
    }
    try {
      store.delete(key);
      publish(BatonEvent.Type.DELETED, key, null);
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING,
          "Could not delete the snapshot of task " + key + "; it expires with its TTL", e);
      publish(BatonEvent.Type.CLEANUP_FAILED, key, e);
    }
  }

  private void publish(BatonEvent.Type type, TaskKey key, @Nullable Throwable error) {
    if (listener == BatonListener.NONE) {
      return;
    }
    try {
      listener.onEvent(new BatonEvent(type, key, error));
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "BatonListener failed on " + type + " for task " + key, e);
    }
  }

  /** A task scope: the thread binding plus the cleanup to run when it closes. */
  private final class RestoredTaskScope implements TaskScope {
    private final TaskContext context;
    private final ContextStorage.FrameScope frame;
    private boolean succeeded;

    RestoredTaskScope(TaskContext context, ContextStorage.FrameScope frame) {
      this.context = context;
      this.frame = frame;
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
      // Thread first: even if cleanup misbehaves, the thread is already clean.
      if (frame.restore()) {
        cleanUp(context.key(), succeeded);
      }
    }
  }

  /**
   * Configures a {@link Baton}. Every setting has a default except {@link #store}. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable TokenSnapshotStore store;
    private Clock clock = Clock.systemUTC();
    private Duration leeway = DEFAULT_LEEWAY;
    private Duration snapshotTtl = DEFAULT_SNAPSHOT_TTL;
    private CleanupPolicy cleanupPolicy = CleanupPolicy.DELETE_ON_COMPLETION;
    private RestoreFailurePolicy restoreFailurePolicy = RestoreFailurePolicy.FAIL;
    private BatonListener listener = BatonListener.NONE;
    private Map<String, Object> lifespan = Map.of();

    private Builder() {}

    /** The store snapshots are kept in. Required. */
    public Builder store(TokenSnapshotStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock for capture times and expiry checks; defaults to {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Clock skew tolerated when checking expiry: a token stays valid until {@code expiresAt +
     * leeway}. Defaults to {@link #DEFAULT_LEEWAY}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder leeway(Duration leeway) {
      Objects.requireNonNull(leeway, "leeway");
      if (leeway.isNegative()) {
        throw new IllegalArgumentException("leeway must not be negative: " + leeway);
      }
      this.leeway = leeway;
      return this;
    }

    /**
     * How long a snapshot is retained at most, when the token's validity does not end it sooner.
     * Defaults to {@link #DEFAULT_SNAPSHOT_TTL}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder snapshotTtl(Duration snapshotTtl) {
      Objects.requireNonNull(snapshotTtl, "snapshotTtl");
      if (snapshotTtl.isNegative() || snapshotTtl.isZero()) {
        throw new IllegalArgumentException("snapshotTtl must be positive: " + snapshotTtl);
      }
      this.snapshotTtl = snapshotTtl;
      return this;
    }

    /** When snapshots are deleted; defaults to {@link CleanupPolicy#DELETE_ON_COMPLETION}. */
    public Builder cleanupPolicy(CleanupPolicy cleanupPolicy) {
      this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
      return this;
    }

    /** What a failed restore does; defaults to {@link RestoreFailurePolicy#FAIL}. */
    public Builder restoreFailurePolicy(RestoreFailurePolicy restoreFailurePolicy) {
      this.restoreFailurePolicy =
          Objects.requireNonNull(restoreFailurePolicy, "restoreFailurePolicy");
      return this;
    }

    /** Receives capture, restore and cleanup events; defaults to {@link BatonListener#NONE}. */
    public Builder listener(BatonListener listener) {
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
    public Builder lifespan(Map<String, ?> lifespan) {
      Objects.requireNonNull(lifespan, "lifespan");
      this.lifespan = Map.copyOf(lifespan);
      return this;
    }

    /**
     * A new {@link Baton}.
     *
     * @throws IllegalStateException if no store was set
     */
    public Baton build() {
      if (store == null) {
        throw new IllegalStateException("store must be set");
      }
      return new Baton(this);
    }
  }
}
