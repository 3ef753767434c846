package dev.baton;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a thread acts as, captured now: an opaque, immutable value that can be installed on another
 * thread, or wrapped around a callback so that the callback runs as the caller who wrapped it.
 *
 * <p>A binding is taken with {@link #current()} (null when the thread holds no Baton binding) or
 * {@link #capture()} (never null: {@link #none()} when unbound). It holds what the thread held: the
 * request binding and the task context, so {@link Baton#currentToken()} and
 * {@link TaskContext#current()} answer the same after {@link #install()} on another thread.
 * Expiry is still checked on every read.
 *
 * <p><b>Capture now, not at submit.</b> {@link Baton#wrap(java.util.concurrent.ExecutorService)}
 * captures whoever submits a task. A {@code CompletableFuture} continuation is submitted by the
 * thread that completes the future, which may be another caller's; wrap the function itself to make
 * it run as the caller who attached it:
 *
 * <pre>{@code
 * // Bob attaches to Alice's pending future: fn runs as Bob, whoever completes the future.
 * alicesFuture.thenApplyAsync(CallerBinding.capture().wrapFunction(fn), pool);
 * }</pre>
 *
 * <p>A {@link CallerFuture} does this for every continuation attached to it.
 *
 * <p>Every wrapper installs the binding around the call and restores the thread exactly afterwards,
 * even when the callback throws, and even when an {@code Error} such as {@link StackOverflowError}
 * cuts the restore short (the binding is ended before the restore begins, and nothing answers from
 * it again). A binding of {@link #none()} installs an explicit "no caller", so a callback never
 * inherits the identity of the thread it happens to run on. A caller whose token has expired by the
 * time the callback runs is handled as {@link #install()} says: under the default policy the
 * callback does not run and the wrapper throws {@link RestoreFailedException}, so a stage built from
 * it ({@code supplyAsync(binding.wrapSupplier(s), pool)}) fails with it.
 *
 * <p>Immutable and thread-safe; {@link #toString()} shows a fingerprint at most, never the token.
 */
public final class CallerBinding {
  private static final CallerBinding NONE = new CallerBinding(null, null);

  private final ContextStorage.@Nullable RequestBinding request;
  private final @Nullable TaskContext task;

  private CallerBinding(
      ContextStorage.@Nullable RequestBinding request, @Nullable TaskContext task) {
    this.request = request;
    this.task = task;
  }

  /**
   * Whether {@code other} is the very same binding: every capture of one binding (of one request's
   * {@link Baton#bindRequest}, one restored task, one installed capture) is equal to the others,
   * while two bindings made separately are not, even for equal tokens: they are two bindings of one
   * caller. Lets code that keeps state per binding (such as Spring Security's context bridge in the
   * starter) tell whether the binding it saw is still the one the thread acts as.
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other == this
        || (other instanceof CallerBinding b && b.request == request && b.task == task);
  }

  @Override
  public int hashCode() {
    return 31 * System.identityHashCode(request) + System.identityHashCode(task);
  }

  /** A binding that installs {@code task} as a task frame (for the executor wrappers). */
  static CallerBinding ofTask(TaskContext task) {
    return new CallerBinding(null, task);
  }

  /**
   * What the current thread acts as, or {@code null} when it holds no Baton binding at all (for a
   * context-propagation {@code ThreadLocalAccessor}'s {@code getValue}).
   */
  public static @Nullable CallerBinding current() {
    ContextStorage.Frame frame = ContextStorage.currentFrame();
    if (frame == null) {
      return null;
    }
    if (frame.request() == null && frame.task() == null) {
      return NONE;
    }
    return new CallerBinding(frame.request(), frame.task());
  }

  /** What the current thread acts as; {@link #none()} when it holds no Baton binding. */
  public static CallerBinding capture() {
    CallerBinding current = current();
    return current == null ? NONE : current;
  }

  /** An explicit "no caller": installed, it hides whatever the thread held. */
  public static CallerBinding none() {
    return NONE;
  }

  /** Whether this is the explicit "no caller" binding. */
  public boolean isNone() {
    return request == null && task == null;
  }

  /**
   * Whether this binding holds a caller whose token has expired (by the clock and leeway of the
   * Baton that bound it): {@link #accessToken()} is then empty, yet the binding is not "no caller".
   * Installing it, or capturing it with {@link Baton#capture(TaskKey)}, applies the
   * {@link RestoreFailurePolicy} (refused under {@code FAIL}). For integrations that read the caller
   * themselves and must not mistake an expired one for none.
   */
  public boolean isExpired() {
    ContextStorage.RequestBinding r = request;
    TaskContext t = task;
    ExpiringToken token = r != null ? r.expiringToken() : t == null ? null : t.expiringToken();
    return token != null && token.isExpired();
  }

  /**
   * The token this binding resolves to now (request binding, else task), as
   * {@link Baton#currentToken()} would answer with it installed; empty when none or expired.
   */
  public Optional<AccessToken> accessToken() {
    if (request != null) {
      return request.validToken();
    }
    return task == null ? Optional.empty() : task.accessToken();
  }

  /**
   * Installs this binding on the current thread until the returned scope is closed, whatever the
   * thread held before; closing restores exactly what it held (see {@link Scope} for nesting, order
   * and other threads).
   *
   * <p><b>An expired caller.</b> If the caller's token has expired by now (by the clock and leeway
   * of the {@link Baton} that bound it), the {@link RestoreFailurePolicy} of that Baton decides, as
   * for a task restored from the store: under {@code FAIL} this throws and the thread is left as it
   * was; under {@code RUN_UNAUTHENTICATED} the binding is installed with no caller (a task context
   * keeps its key and lifespan). Either way listeners see {@link BatonEvent.Type#EXPIRED}. A token
   * that expires after the install reads empty from then on, as always.
   *
   * @throws RestoreFailedException with {@link RestoreFailedException.Reason#CALLER_EXPIRED}, under
   *     {@link RestoreFailurePolicy#FAIL}, if the caller's token has expired
   */
  public Scope install() {
    if (request != null || task != null) {
      ContextStorage.requireHeadroom(); // the caller's code closes it: see ContextStorage
    }
    return installFrame();
  }

  /**
   * {@link #install()}, typed as the frame for wrappers that end it themselves: a wrapper ends the
   * frame by a field write in its own {@code finally} before it restores the thread, so that an
   * Error anywhere in the restore (at the stack's edge) leaves a frame no reader answers from, and
   * needs no headroom probe before the install (see {@link ContextStorage}).
   */
  private ContextStorage.Frame installForCallback() {
    return installFrame();
  }

  private ContextStorage.Frame installFrame() {
    ContextStorage.RequestBinding r = request;
    TaskContext t = task;
    ExpiringToken token = r != null ? r.expiringToken() : t == null ? null : t.expiringToken();
    if (token != null && token.isExpired()) {
      return installExpired(r, t);
    }
    return ContextStorage.install(r, t);
  }

  /** The cold path, apart so that the hot one stays small enough to inline. */
  private static ContextStorage.Frame installExpired(
      ContextStorage.@Nullable RequestBinding r, @Nullable TaskContext t) {
    // A request binding is judged by its own Baton, and never falls back to a task's caller.
    CallerRules rules = r != null ? r.rules() : Objects.requireNonNull(t, "task").rules();
    rules.expired(r == null && t != null ? t.key() : null);
    return ContextStorage.install(null, t == null ? null : t.withoutCaller());
  }

  /**
   * A runnable that runs {@code task} with this binding installed.
   *
   * @throws NullPointerException if {@code task} is null
   */
  public Runnable wrapRunnable(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      ContextStorage.Frame frame = installForCallback();
      try {
        task.run();
      } finally {
        frame.ended = true;
        frame.restore();
      }
    };
  }

  /**
   * A callable that calls {@code task} with this binding installed.
   *
   * @throws NullPointerException if {@code task} is null
   */
  public <T> Callable<T> wrapCallable(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      ContextStorage.Frame frame = installForCallback();
      try {
        return task.call();
      } finally {
        frame.ended = true;
        frame.restore();
      }
    };
  }

  /**
   * A supplier that calls {@code supplier} with this binding installed.
   *
   * @throws NullPointerException if {@code supplier} is null
   */
  public <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> {
      ContextStorage.Frame frame = installForCallback();
      try {
        return supplier.get();
      } finally {
        frame.ended = true;
        frame.restore();
      }
    };
  }

  /**
   * A function that applies {@code function} with this binding installed.
   *
   * @throws NullPointerException if {@code function} is null
   */
  public <T, R> Function<T, R> wrapFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function");
    return t -> {
      ContextStorage.Frame frame = installForCallback();
      try {
        return function.apply(t);
      } finally {
        frame.ended = true;
        frame.restore();
      }
    };
  }

  /**
   * A function that applies {@code function} with this binding installed.
   *
   * @throws NullPointerException if {@code function} is null
   */
  public <T, U, R> BiFunction<T, U, R> wrapBiFunction(BiFunction<T, U, R> function) {
    Objects.requireNonNull(function, "function");
    return (t, u) -> {
      ContextStorage.Frame frame = installForCallback();
      try {
        return function.apply(t, u);
      } finally {
        frame.ended = true;
        frame.restore();
      }
    };
  }

  /**
   * A consumer that accepts with {@code consumer} with this binding installed.
   *
   * @throws NullPointerException if {@code consumer} is null
   */
  public <T> Consumer<T> wrapConsumer(Consumer<T> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return t -> {
      ContextStorage.Frame frame = installForCallback();
      try {
        consumer.accept(t);
      } finally {
        frame.ended = true;
        frame.restore();
      }
    };
  }

  /**
   * A consumer that accepts with {@code consumer} with this binding installed (for
   * {@code whenComplete} and {@code thenAcceptBoth}).
   *
   * @throws NullPointerException if {@code consumer} is null
   */
  public <T, U> BiConsumer<T, U> wrapBiConsumer(BiConsumer<T, U> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return (t, u) -> {
      ContextStorage.Frame frame = installForCallback();
      try {
        consumer.accept(t, u);
      } finally {
        frame.ended = true;
        frame.restore();
      }
    };
  }

  /** The caller's fingerprint (or {@code none}/{@code anonymous}); never the token. */
  @Override
  public String toString() {
    ContextStorage.RequestBinding r = request;
    if (r != null) {
      AccessToken token = r.token();
      return "CallerBinding[request, caller="
          + (token == null ? "anonymous" : token.fingerprint()) + "]";
    }
    return task == null ? "CallerBinding[none]" : "CallerBinding[" + task + "]";
  }
}
