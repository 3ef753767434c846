package dev.baton;

import dev.baton.store.TokenSnapshotStore;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
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
 * its TTL is never longer than {@link BatonBuilder#snapshotTtl} nor the token's remaining
 * validity plus leeway.
 *
 * <p>Thread-safe; build one per application and share it.
 */
public final class Baton {
  /** Default retention of a snapshot when the token's own expiry does not cut it shorter. */
  public static final Duration DEFAULT_SNAPSHOT_TTL = Duration.ofHours(1);
  /** Default tolerance for clock skew when checking expiry. */
  public static final Duration DEFAULT_LEEWAY = Duration.ZERO;

  /** The {@link TaskKey#scope()} of in-process tasks, whose snapshots never reach the store. */
  static final String LOCAL_SCOPE = "local";

  private final @Nullable TokenSnapshotStore store;
  private final @Nullable TaskRestorer restorer;
  private final @Nullable SnapshotCapture capture;
  private final Clock clock;
  private final Duration leeway;
  private final BatonEvents events;
  private final Map<String, Object> lifespan;
  private final CallerRules rules;
  private final @Nullable TokenExchanger inProcessDelegation;
  // Sliding TTL (issue 23): the heartbeat integrations use, and whether run/call/enter hold a lease.
  private final @Nullable SnapshotHeartbeat heartbeat;
  private final boolean heartbeatOnEnter;

  Baton(BatonBuilder builder) {
    this.store = builder.store;
    this.clock = builder.clock;
    this.leeway = builder.leeway;
    this.events = new BatonEvents(builder.listener);
    this.lifespan = builder.lifespan;
    this.rules = new CallerRules(builder.restoreFailurePolicy, events, new LocalTaskIds());
    Duration beat = builder.heartbeatInterval;
    this.heartbeat = store == null ? null : new SnapshotHeartbeat(store, clock, leeway,
        builder.snapshotTtl,
        beat != null ? beat : SnapshotHeartbeat.defaultInterval(builder.snapshotTtl));
    this.heartbeatOnEnter = beat != null;
    this.restorer = store == null ? null : new TaskRestorer(store, builder.restoreMode,
        builder.cleanupPolicy, rules, lifespan, clock, leeway, heartbeatOnEnter ? heartbeat : null);
    this.capture = store == null ? null
        : new SnapshotCapture(store, clock, leeway, builder.snapshotTtl, rules, builder.delegation);
    this.inProcessDelegation = builder.delegateInProcess ? builder.delegation : null;
  }

  /**
   * A builder. Every setting has a default; without a {@link BatonBuilder#store store}, the Baton
   * serves in-process work only ({@link #wrap}, {@link #bindRequest}).
   */
  public static BatonBuilder builder() {
    return new BatonBuilder();
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
   * Whether the current thread holds any Baton binding (a request binding, a task context, or an
   * explicit "no caller"): for pool hooks ({@code ThreadPoolExecutor.afterExecute}), framework
   * filters and tests that check a thread is clean between tasks. A binding whose scope has begun
   * to close does not count, even if an {@code Error} cut its close short and left it in the
   * thread-local (see {@link Scope}); the next Baton entry point on the thread clears it.
   */
  public static boolean isBound() {
    return ContextStorage.isBound();
  }

  /**
   * What the current thread acts as, captured now, for wrapping callbacks that will run elsewhere
   * (see {@link CallerBinding}); {@link CallerBinding#none()} when the thread is unbound.
   */
  public static CallerBinding currentBinding() {
    return CallerBinding.capture();
  }

  /**
   * Binds the current thread to a request's caller until the returned scope is closed: the
   * request side of Baton, for the code that authenticates a request.
   *
   * @param token the authenticated caller, or {@code null} for an unauthenticated request
   */
  public Scope bindRequest(@Nullable AccessToken token) {
    if (token != null) {
      ContextStorage.requireHeadroom(); // the caller's code closes it: see ContextStorage
    }
    return ContextStorage.bindRequest(
        new ContextStorage.RequestBinding(token, clock, leeway, rules));
  }

  // ---------------------------------------------------------------- capture

  /**
   * Captures the current caller ({@link #currentToken()}) under a new random key in that caller's
   * scope ({@link TaskKey#random}). A caller bound on this thread whose token has expired is not
   * "no caller": see {@link #capture(TaskKey, AccessToken)}.
   *
   * @return the key to hand to the worker
   * @throws IllegalArgumentException if the token is larger than the store accepts (the message
   *     states the sizes, never the token); nothing is stored
   * @throws dev.baton.store.TokenStoreException if the store fails
   * @throws DelegationFailedException if a {@link BatonBuilder#delegation} exchange fails; nothing
   *     is stored
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}, if the caller's token
   *     has expired; nothing is stored
   * @throws IllegalStateException if this Baton has no store
   */
  public TaskKey capture() {
    ExpiringToken bound = ContextStorage.currentBoundToken();
    AccessToken caller = bound == null ? null : bound.token();
    TaskKey key = TaskKey.random(caller);
    requireCapture().capture(key, caller, expiredByItsBinding(bound));
    return key;
  }

  /**
   * Whether {@code bound} has expired by the clock and leeway of the Baton that bound it, when
   * those are not this Baton's (this Baton's own check follows): a longer leeway here never brings
   * an expired caller back. Reads the clock only in that case.
   */
  private boolean expiredByItsBinding(@Nullable ExpiringToken bound) {
    return bound != null && !bound.isFor(clock, leeway) && bound.isExpired();
  }

  /**
   * Captures the current caller ({@link #currentToken()}) under {@code key}.
   *
   * @return {@code key}
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if the token is larger than the store accepts (the message
   *     states the sizes, never the token); nothing is stored
   * @throws dev.baton.store.TokenStoreException if the store fails
   * @throws DelegationFailedException if a {@link BatonBuilder#delegation} exchange fails; nothing
   *     is stored
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}, if the caller's token
   *     has expired; nothing is stored
   * @throws IllegalStateException if this Baton has no store
   */
  public TaskKey capture(TaskKey key) {
    Objects.requireNonNull(key, "key");
    ExpiringToken bound = ContextStorage.currentBoundToken();
    return requireCapture().capture(
        key, bound == null ? null : bound.token(), expiredByItsBinding(bound));
  }

  /**
   * Saves {@code caller} (or an anonymous marker when null) under {@code key}, replacing any earlier
   * snapshot there.
   *
   * <p>The TTL is the configured {@link BatonBuilder#snapshotTtl}, cut to the token's remaining
   * validity plus leeway (saturating: a leeway or expiry too large to add is "as long as possible", never an
   * arithmetic error). A token that has already expired is never saved (the store never holds a
   * dead credential), and never silently becomes "no caller": the {@link RestoreFailurePolicy}
   * decides, as it does for a task whose caller expired before it started. Under {@code FAIL} this
   * throws and nothing is stored; under {@code RUN_UNAUTHENTICATED} an anonymous marker is saved.
   * Listeners see {@link BatonEvent.Type#CAPTURED}, {@link BatonEvent.Type#CAPTURED_EXPIRED} or,
   * when {@code caller} is null, {@link BatonEvent.Type#CAPTURED_ANONYMOUS}.
   *
   * @return {@code key}
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if the token is larger than the store accepts (the message
   *     states the sizes, never the token); nothing is stored
   * @throws dev.baton.store.TokenStoreException if the store fails
   * @throws DelegationFailedException if a {@link BatonBuilder#delegation} exchange fails; nothing
   *     is stored
   * @throws RestoreFailedException with {@link RestoreFailedException.Reason#CALLER_EXPIRED} under
   *     {@link RestoreFailurePolicy#FAIL}, if {@code caller} has expired; nothing is stored
   * @throws IllegalStateException if this Baton has no store
   */
  public TaskKey capture(TaskKey key, @Nullable AccessToken caller) {
    Objects.requireNonNull(key, "key");
    return requireCapture().capture(key, caller, false);
  }

  /**
   * Captures the current caller ({@link #currentToken()}) under {@code key} without waiting for the
   * store: for submitting many tasks at once, where a remote store has all the writes in flight
   * together (Redis pipelines them on its one connection) instead of one round trip after another.
   *
   * <p>The caller is read now, on this thread: the future captures the submitting caller whichever
   * thread completes it, and even if this thread's scope has closed by then. Otherwise as
   * {@link #captureAsync(TaskKey, AccessToken)}.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if the token is larger than the store accepts; nothing is
   *     stored
   * @throws IllegalStateException if this Baton has no store, or the store is closed
   */
  public CompletableFuture<TaskKey> captureAsync(TaskKey key) {
    Objects.requireNonNull(key, "key");
    ExpiringToken bound = ContextStorage.currentBoundToken();
    return requireCapture().captureAsync(
        key, bound == null ? null : bound.token(), expiredByItsBinding(bound));
  }

  /**
   * Saves {@code caller} (or an anonymous marker when null) under {@code key} like
   * {@link #capture(TaskKey, AccessToken)} &mdash; same TTL, same expired-token rule, same events
   * &mdash; through {@link TokenSnapshotStore#saveAsync}, without waiting.
   *
   * <p>The future completes with {@code key} once the snapshot is stored (a worker that loads it
   * afterwards finds it), after listeners have seen {@link BatonEvent.Type#CAPTURED},
   * {@link BatonEvent.Type#CAPTURED_EXPIRED} or {@link BatonEvent.Type#CAPTURED_ANONYMOUS}. If the
   * store fails, it completes exceptionally with the {@link dev.baton.store.TokenStoreException}
   * the synchronous capture would throw, and no event is published. A caller whose token has
   * expired fails it under {@link RestoreFailurePolicy#FAIL} with the
   * {@link RestoreFailedException} the synchronous capture would throw (after
   * {@link BatonEvent.Type#CAPTURED_EXPIRED}; nothing is stored). Mistakes in the call itself are
   * thrown at once, as by the synchronous capture, and nothing is stored.
   *
   * <p>The future may complete on a store thread (Lettuce's I/O thread for Redis), and the
   * listener runs there too: keep both quick, and use {@code thenApplyAsync(fn, executor)} for
   * anything slow or blocking. A store without an asynchronous backend (memory, JDBC) saves on this
   * thread and returns a completed future. Hand the key to the worker only after the future has
   * completed normally.
   *
   * @return a future of {@code key}
   * @throws NullPointerException if {@code key} is null
   * @throws IllegalArgumentException if the token is larger than the store accepts (the message
   *     states the sizes, never the token); nothing is stored
   * @throws IllegalStateException if this Baton has no store, or the store is closed
   */
  public CompletableFuture<TaskKey> captureAsync(TaskKey key, @Nullable AccessToken caller) {
    Objects.requireNonNull(key, "key");
    return requireCapture().captureAsync(key, caller, false);
  }

  /**
   * Captures the current caller ({@link #currentToken()}) once under every key of {@code keys},
   * without waiting for the store: for one request that submits many tasks. The caller is read now,
   * on this thread, and judged (and exchanged, with {@link BatonBuilder#delegation}) once for the
   * whole batch; the one snapshot is written through {@link TokenSnapshotStore#saveAllAsync}, which the
   * Redis store seals on more than one thread and pipelines in chunks.
   *
   * <p>Each key gets what {@link #captureAsync(TaskKey)} would give it: the same TTL, the same
   * expired-caller rule (under {@link RestoreFailurePolicy#FAIL} the future fails with
   * {@link RestoreFailedException}, every key sees {@link BatonEvent.Type#CAPTURED_EXPIRED}, and
   * nothing is stored), and its own event once stored. The future completes with the keys, in
   * order, once every snapshot is stored. If some writes fail it fails with a
   * {@link dev.baton.store.BatchSaveException} naming each failed key (the others were stored and
   * had their events): never hand a failed key to a worker. An empty batch completes at once,
   * storing nothing. The future may complete on a store thread, as {@link #captureAsync} does.
   *
   * @param keys the tasks' keys; copied
   * @return a future of the keys, as an unmodifiable list
   * @throws NullPointerException if {@code keys} or a key in it is null
   * @throws IllegalArgumentException if the token is larger than the store accepts; nothing is
   *     stored
   * @throws IllegalStateException if this Baton has no store, or the store is closed
   */
  public CompletableFuture<List<TaskKey>> captureAllAsync(Collection<TaskKey> keys) {
    Objects.requireNonNull(keys, "keys");
    ExpiringToken bound = ContextStorage.currentBoundToken();
    return new BatchCapture(requireCapture()).captureAllAsync(
        keys, bound == null ? null : bound.token(), expiredByItsBinding(bound));
  }

  private SnapshotCapture requireCapture() {
    requireStore("capture");
    return Objects.requireNonNull(capture, "capture");
  }

  private TokenSnapshotStore requireStore(String operation) {
    TokenSnapshotStore s = store;
    if (s == null) {
      throw new IllegalStateException(operation + " needs a store, and this Baton has none: set"
          + " Baton.builder().store(...) (in-process wrap(...) and bindRequest(...) need none)");
    }
    return s;
  }

  // ---------------------------------------------------------------- restore

  /**
   * Restores the caller captured under {@code key} and installs it on the current thread until the
   * returned scope closes. Both slots are overwritten: the task never inherits the identity the
   * thread held before.
   *
   * <p>If the snapshot is missing, the store fails, or the caller's token has expired by now, the
   * {@link RestoreFailurePolicy} decides: under {@code FAIL} this throws and the thread is left
   * exactly as it was; under {@code RUN_UNAUTHENTICATED} the scope opens without a token. Either way
   * one warning is logged and listeners see why ({@link BatonEvent.Type#MISSING},
   * {@link BatonEvent.Type#RESTORE_FAILED} or {@link BatonEvent.Type#EXPIRED}).
   * A store that answers {@code null} counts as failed ({@code STORE_FAILED}, naming its class).
   * A snapshot is deleted on close only if this scope restored it: after a failed load the caller's
   * snapshot is left for a retry. The {@link RestoreMode} decides between load-then-clean-up and an
   * atomic take.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}, naming the key
   * @throws IllegalStateException if this Baton has no store
   */
  public TaskScope enter(TaskKey key) {
    Objects.requireNonNull(key, "key");
    requireStore("enter");
    TaskScope scope = Objects.requireNonNull(restorer, "restorer").enter(key);
    return heartbeatOnEnter ? LeasedTaskScope.of(scope, requireHeartbeat()) : scope;
  }

  /**
   * As {@link #enter(TaskKey)}, but closing the scope applies {@code cleanup} instead of the
   * configured {@link CleanupPolicy}: for job engines that delete the snapshot themselves when the
   * job reaches a final state ({@link CleanupPolicy#TTL_ONLY}). Under {@link RestoreMode#TAKE} the
   * snapshot is consumed by the restore and {@code cleanup} has nothing to do. Holds no heartbeat
   * lease: the engine's integration holds its own ({@link #heartbeat()}).
   *
   * @throws NullPointerException if an argument is null
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}, naming the key
   * @throws IllegalStateException if this Baton has no store
   */
  public TaskScope enter(TaskKey key, CleanupPolicy cleanup) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(cleanup, "cleanup");
    requireStore("enter");
    return Objects.requireNonNull(restorer, "restorer").enter(key, cleanup);
  }

  /**
   * The heartbeat that keeps running tasks' snapshots alive (a sliding TTL): every
   * {@link BatonBuilder#heartbeat(Duration) interval}, or a third of the snapshot TTL when none is
   * set.
   *
   * @throws IllegalStateException if this Baton has no store
   */
  public SnapshotHeartbeat heartbeat() {
    requireStore("heartbeat");
    return requireHeartbeat();
  }

  private SnapshotHeartbeat requireHeartbeat() {
    return Objects.requireNonNull(heartbeat, "heartbeat");
  }

  /**
   * Runs {@code task} as the caller captured under {@code key}: {@link #enter}, run, close. When
   * this returns or throws (even a {@link StackOverflowError} at the end of the stack, inside the
   * close itself), the thread no longer acts as that caller.
   *
   * @throws NullPointerException if an argument is null
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}; the task did not run
   * @throws IllegalStateException if this Baton has no store; the task did not run
   */
  public void run(TaskKey key, Runnable task) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(task, "task");
    requireStore("run");
    Objects.requireNonNull(restorer, "restorer").run(key, task);
  }

  /**
   * Calls {@code task} as the caller captured under {@code key}: {@link #enter}, call, close; the
   * thread no longer acts as that caller when this returns or throws, as for {@link #run}.
   *
   * @return what {@code task} returned
   * @throws NullPointerException if an argument is null
   * @throws RestoreFailedException under {@link RestoreFailurePolicy#FAIL}; the task did not run
   * @throws IllegalStateException if this Baton has no store; the task did not run
   * @throws Exception what {@code task} threw
   */
  public <T> T call(TaskKey key, Callable<T> task) throws Exception {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(task, "task");
    requireStore("call");
    return Objects.requireNonNull(restorer, "restorer").call(key, task);
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
   * service, including virtual-thread-per-task executors, and needs no store.
   *
   * <p><b>A caller that expired while the task waited.</b> When the task starts, a caller whose
   * token has expired is handled by this Baton's {@link RestoreFailurePolicy}, as {@link #run}
   * handles one restored from the store: under {@code FAIL} the task's body does not run and its
   * {@code Future} fails with {@link RestoreFailedException} ({@code CALLER_EXPIRED}); a periodic
   * task stops; a plain {@code execute} reports it as the executor reports any task's failure.
   * Under {@code RUN_UNAUTHENTICATED} the task runs with no caller. Listeners see
   * {@link BatonEvent.Type#EXPIRED} either way. Submitting reads no clock: a caller bound by this
   * Baton is judged once, when the task starts. One bound by another Baton with another clock or
   * leeway is judged at submit by that Baton's rule too, so a longer leeway here never brings an
   * expired caller back; when it is still valid, the task judges it by this Baton's clock and
   * leeway. If the wall clock steps back between submit and start, the caller is judged by the
   * clock as it reads at the start, as every read of {@link #currentToken()} is: Baton remembers no
   * earlier reading, and a task still runs only ever as its own caller.
   *
   * <p>Waiting never lends the waiter's identity: {@code awaitTermination}, {@code invokeAll},
   * {@code invokeAny}, {@code shutdown} and {@code close} run with the calling thread's binding
   * hidden, because a pool may run queued work on the waiting thread (a {@code ForkJoinPool}
   * helps). {@code close()} on a wrapper of {@link java.util.concurrent.ForkJoinPool#commonPool()}
   * returns at once, as the common pool's own does.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public ExecutorService wrap(ExecutorService delegate) {
    return new PropagatingExecutorService(this::captureLocal, delegate);
  }

  /**
   * A scheduled executor service whose every run &mdash; of {@code schedule},
   * {@code scheduleAtFixedRate} and {@code scheduleWithFixedDelay} alike &mdash; acts as the caller
   * who scheduled it; otherwise as {@link #wrap(ExecutorService)}.
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public ScheduledExecutorService wrap(ScheduledExecutorService delegate) {
    return new PropagatingScheduledExecutorService(this::captureLocal, delegate);
  }

  /**
   * An executor whose tasks run as the caller who submitted them (see
   * {@link #wrap(ExecutorService)}); for
   * {@code CompletableFuture.supplyAsync(supplier, baton.wrap(executor))}. A continuation such as
   * {@code thenApplyAsync(fn, executor)} is submitted by whichever thread completes the future: to
   * run {@code fn} as the caller who attached it, wrap it with {@link CallerBinding}, or start from
   * a {@link CallerFuture} ({@link #supplyAsync(Supplier, Executor)}), which does so for every
   * continuation.
   *
   * <p>An expired caller is handled as by {@link #wrap(ExecutorService)}: under {@code FAIL} the
   * command does not run and its {@code run()} throws {@link RestoreFailedException}. A
   * {@code CompletableFuture}'s own task cannot be failed from outside, so such a stage would never
   * complete: give the stage a wrapped function instead
   * ({@code supplyAsync(CallerBinding.capture().wrapSupplier(supplier), executor)} fails the stage
   * with the exception).
   *
   * @throws NullPointerException if {@code delegate} is null
   */
  public Executor wrap(Executor delegate) {
    Objects.requireNonNull(delegate, "delegate");
    return command -> {
      Objects.requireNonNull(command, "command");
      delegate.execute(captureLocal().wrapRunnable(command));
    };
  }

  /**
   * Runs {@code supplier} on {@code executor} as the calling thread's caller, as a task of this
   * Baton (as {@code CompletableFuture.supplyAsync(supplier, wrap(executor))} does), and answers a
   * {@link CallerFuture}: every continuation attached to it, or to its dependents, runs as the
   * caller who attached it.
   *
   * @throws NullPointerException if an argument is null
   * @throws java.util.concurrent.RejectedExecutionException if {@code executor} refuses the task
   */
  public <T> CallerFuture<T> supplyAsync(Supplier<T> supplier, Executor executor) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(executor, "executor");
    return CallerFuture.startAsync(captureLocal().wrapSupplier(supplier), executor);
  }

  /**
   * Runs {@code runnable} on {@code executor} as {@link #supplyAsync(Supplier, Executor)} does.
   *
   * @throws NullPointerException if an argument is null
   * @throws java.util.concurrent.RejectedExecutionException if {@code executor} refuses the task
   */
  public CallerFuture<Void> runAsync(Runnable runnable, Executor executor) {
    Objects.requireNonNull(runnable, "runnable");
    Objects.requireNonNull(executor, "executor");
    return CallerFuture.startAsync(captureLocal().wrapRunnable(runnable), executor);
  }

  /** Captures the current caller for an in-process task; see {@link #wrap(ExecutorService)}. */
  CallerBinding captureLocal() {
    // No clock read when this Baton bound the caller: the task judges it when it starts (an
    // expired caller fails the task per policy, never runs as nobody). A caller bound with
    // another clock or leeway keeps its own deadline if that has already passed, so a longer
    // leeway here cannot revive it; otherwise it is judged by this Baton's.
    ExpiringToken caller = ContextStorage.currentBoundToken();
    if (caller != null && !caller.isFor(clock, leeway) && !caller.isExpired()) {
      caller = caller.forClock(clock, leeway);
    }
    if (caller != null && inProcessDelegation != null && !caller.isExpired()) {
      // Builder#delegateInProcess: exchanged at submit, on this thread (an expired caller is
      // left for the task to refuse by the rule above, never exchanged).
      caller = ExpiringToken.of(SnapshotCapture.delegate(inProcessDelegation, caller.token(),
          clock.instant(), leeway), clock, leeway);
    }
    return CallerBinding.ofTask(new TaskContext(rules, caller, lifespan));
  }

  // ---------------------------------------------------------------- accessors

  /** The store snapshots are kept in; empty for an in-process-only Baton. */
  public Optional<TokenSnapshotStore> store() {
    return Optional.ofNullable(store);
  }

  /** The clock expiry is checked against. */
  public Clock clock() {
    return clock;
  }

  /** The application's lifespan context; an empty map when none was set. */
  public Map<String, Object> lifespan() {
    return lifespan;
  }
}
