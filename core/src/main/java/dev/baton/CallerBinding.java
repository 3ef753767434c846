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
 * even when the callback throws. A binding of {@link #none()} installs an explicit "no caller", so a
 * callback never inherits the identity of the thread it happens to run on.
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
   */
  public Scope install() {
    return ContextStorage.install(request, task);
  }

  /**
   * {@link #install()} for the wrappers below, which have no later close: when a wrapper runs near
   * the end of the stack, its close (which goes a few frames deeper than the install) could overflow
   * and leave the thread bound for good, so it first makes sure there is room for the close. A
   * {@code StackOverflowError} then strikes before the thread changes, never after.
   */
  private Scope installForCallback() {
    ContextStorage.requireHeadroom();
    return install();
  }

  /**
   * A runnable that runs {@code task} with this binding installed.
   *
   * @throws NullPointerException if {@code task} is null
   */
  public Runnable wrapRunnable(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (Scope scope = installForCallback()) {
        task.run();
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
      try (Scope scope = installForCallback()) {
        return task.call();
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
      try (Scope scope = installForCallback()) {
        return supplier.get();
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
      try (Scope scope = installForCallback()) {
        return function.apply(t);
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
      try (Scope scope = installForCallback()) {
        return function.apply(t, u);
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
      try (Scope scope = installForCallback()) {
        consumer.accept(t);
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
      try (Scope scope = installForCallback()) {
        consumer.accept(t, u);
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
