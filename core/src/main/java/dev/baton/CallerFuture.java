package dev.baton;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CompletableFuture} whose every continuation runs as the caller who attached it, on
 * whatever thread and executor it runs.
 *
 * <p><b>Why.</b> A plain future runs a continuation on the thread that completes it, or submits it
 * from there: Bob's {@code thenApplyAsync(fn, baton.wrap(pool))} on Alice's still-pending future
 * runs as <em>Alice</em>, because her thread is the one that submits it. On a {@code CallerFuture},
 * the same line runs {@code fn} as Bob.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>Every method that attaches a function &mdash; every {@link CompletionStage} method, async
 *       or not ({@code thenApply}, {@code thenCombine}, {@code applyToEither},
 *       {@code acceptEither}, {@code runAfterBoth}, {@code thenCompose}, {@code whenComplete},
 *       {@code handle}, {@code exceptionally}, {@code exceptionallyCompose}, ...) and
 *       {@link #completeAsync} &mdash; captures the attaching thread's caller
 *       ({@link CallerBinding#capture()}) when it is called, and the function runs with that
 *       caller installed: on the completing thread, on the attaching thread (the future was
 *       already complete), on the default executor, or on any executor given, wrapped by Baton or
 *       not. The thread is restored exactly afterwards. The function is wrapped as by
 *       {@link CallerBinding}'s wrappers, so the same rules hold: expiry is checked on every read,
 *       and what an expired caller does is decided there.
 *   <li>A continuation attached by a thread with no caller runs with an explicit "no caller": it
 *       never sees the identity of the thread that completed the future, nor of a pool thread.
 *   <li>Every dependent stage is a {@code CallerFuture} too ({@link #newIncompleteFuture()}), so the
 *       rule holds along the whole chain: {@code copy()}, {@code orTimeout},
 *       {@code completeOnTimeout}, {@code toCompletableFuture()} and the stages a continuation
 *       returns. {@link #minimalCompletionStage()} is a {@code CallerFuture} restricted like the
 *       JDK's (its methods outside {@code CompletionStage} throw
 *       {@link UnsupportedOperationException}), and so are its dependents.
 *   <li>Completing the future ({@link #complete}, {@link #completeExceptionally}, {@link #cancel},
 *       the timeouts) runs no code as the completing thread's caller beyond what that thread runs
 *       itself.
 * </ul>
 *
 * <p><b>Making one.</b> {@code baton.supplyAsync(supplier, executor)} and
 * {@code baton.runAsync(runnable, executor)} run the task as the caller who called them, as a task
 * of that {@link Baton} (like {@code baton.wrap(executor)}); {@link #adopt(CompletionStage)} turns
 * a future from elsewhere (a client library, {@code captureAsync}) into one whose continuations
 * follow this contract; {@code new CallerFuture<>()} is completed by hand. The static factories of
 * {@code CompletableFuture} are redeclared here ({@link #supplyAsync(Supplier, Executor)},
 * {@link #completedFuture}, {@link #allOf}, ...) so that {@code CallerFuture.supplyAsync(...)}
 * answers a {@code CallerFuture}; their tasks run as the calling thread's
 * {@link CallerBinding#capture() binding}.
 *
 * <p><b>What it cannot do.</b> Code that attaches to the future through a plain
 * {@code CompletableFuture} it was copied into ({@code CompletableFuture.allOf}, another library's
 * relay) gets plain {@code CompletableFuture} behaviour; adopt that future in turn. Each attach
 * costs one {@link CallerBinding#capture()} and each run one install and restore.
 *
 * <p>Thread-safe, as {@code CompletableFuture}.
 *
 * @param <T> the result type
 */
public sealed class CallerFuture<T> extends CompletableFuture<T> permits CallerFuture.Minimal {

  /** A new incomplete future, completed by hand; its continuations run as their attachers. */
  public CallerFuture() {}

  // ------------------------------------------------------------------ making one

  /**
   * A future completed as {@code stage} completes: the same value, or the same exception (a
   * cancelled stage leaves it cancelled). {@code stage} itself is left alone: continuations
   * attached to it directly keep plain {@code CompletableFuture} behaviour, and cancelling the
   * returned future does not cancel it. A {@code CallerFuture} is returned as it is.
   *
   * @throws NullPointerException if {@code stage} is null
   */
  public static <T> CallerFuture<T> adopt(CompletionStage<T> stage) {
    Objects.requireNonNull(stage, "stage");
    if (stage.getClass() == CallerFuture.class) {
      return (CallerFuture<T>) stage;
    }
    CallerFuture<T> adopted = new CallerFuture<>();
    // The relay runs no user code: adopted's own dependents install their attachers.
    CompletionStage<T> unused = stage.whenComplete((value, failure) -> {
      if (failure == null) {
        adopted.complete(value);
      } else {
        adopted.completeExceptionally(failure);
      }
    });
    return adopted;
  }

  /**
   * {@link CompletableFuture#supplyAsync(Supplier, Executor)}, answering a {@code CallerFuture}:
   * {@code supplier} runs on {@code executor} as the calling thread's caller.
   *
   * @throws NullPointerException if an argument is null
   */
  public static <U> CallerFuture<U> supplyAsync(Supplier<U> supplier, Executor executor) {
    return new CallerFuture<U>().completeAsync(supplier, executor);
  }

  /**
   * {@link CompletableFuture#supplyAsync(Supplier)}, answering a {@code CallerFuture}:
   * {@code supplier} runs on the {@link #defaultExecutor()} as the calling thread's caller.
   *
   * @throws NullPointerException if {@code supplier} is null
   */
  public static <U> CallerFuture<U> supplyAsync(Supplier<U> supplier) {
    return new CallerFuture<U>().completeAsync(supplier);
  }

  /**
   * {@link CompletableFuture#runAsync(Runnable, Executor)}, answering a {@code CallerFuture}:
   * {@code runnable} runs on {@code executor} as the calling thread's caller.
   *
   * @throws NullPointerException if an argument is null
   */
  public static CallerFuture<Void> runAsync(Runnable runnable, Executor executor) {
    return new CallerFuture<Void>().completeAsync(nullSupplier(runnable), executor);
  }

  /**
   * {@link CompletableFuture#runAsync(Runnable)}, answering a {@code CallerFuture}:
   * {@code runnable} runs on the {@link #defaultExecutor()} as the calling thread's caller.
   *
   * @throws NullPointerException if {@code runnable} is null
   */
  public static CallerFuture<Void> runAsync(Runnable runnable) {
    return new CallerFuture<Void>().completeAsync(nullSupplier(runnable));
  }

  /** {@link CompletableFuture#completedFuture}, answering a {@code CallerFuture}. */
  public static <U> CallerFuture<U> completedFuture(U value) {
    CallerFuture<U> future = new CallerFuture<>();
    future.complete(value);
    return future;
  }

  /**
   * {@link CompletableFuture#failedFuture}, answering a {@code CallerFuture}.
   *
   * @throws NullPointerException if {@code failure} is null
   */
  public static <U> CallerFuture<U> failedFuture(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    CallerFuture<U> future = new CallerFuture<>();
    future.completeExceptionally(failure);
    return future;
  }

  /** {@link CompletableFuture#completedStage}: a minimal {@code CallerFuture} stage. */
  public static <U> CompletionStage<U> completedStage(U value) {
    Minimal<U> stage = new Minimal<>();
    stage.relay(value, null);
    return stage;
  }

  /**
   * {@link CompletableFuture#failedStage}: a minimal {@code CallerFuture} stage.
   *
   * @throws NullPointerException if {@code failure} is null
   */
  public static <U> CompletionStage<U> failedStage(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    Minimal<U> stage = new Minimal<>();
    stage.relay(null, failure);
    return stage;
  }

  /** {@link CompletableFuture#allOf}, {@linkplain #adopt adopted}. */
  public static CallerFuture<Void> allOf(CompletableFuture<?>... futures) {
    return adopt(CompletableFuture.allOf(futures));
  }

  /** {@link CompletableFuture#anyOf}, {@linkplain #adopt adopted}. */
  public static CallerFuture<Object> anyOf(CompletableFuture<?>... futures) {
    return adopt(CompletableFuture.anyOf(futures));
  }

  /** A supplier of {@code null} that runs {@code runnable} first (for the run-async factories). */
  private static Supplier<Void> nullSupplier(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    return () -> {
      runnable.run();
      return nothing();
    };
  }

  @SuppressWarnings("NullAway") // a Void future completes with null, as CompletableFuture's own do
  private static Void nothing() {
    return null;
  }

  /**
   * Completes a new future with {@code supplier} on {@code executor}, without wrapping: for
   * {@link Baton#supplyAsync}, whose supplier installs the caller itself (a refused caller then
   * fails this future instead of leaving it pending).
   */
  static <U> CallerFuture<U> startAsync(Supplier<U> supplier, Executor executor) {
    CallerFuture<U> future = new CallerFuture<>();
    future.completeAsyncAsIs(supplier, executor);
    return future;
  }

  /** {@link #startAsync} for a runnable. */
  static CallerFuture<Void> startAsync(Runnable runnable, Executor executor) {
    return startAsync(nullSupplier(runnable), executor);
  }

  private void completeAsyncAsIs(Supplier<? extends T> supplier, Executor executor) {
    super.completeAsync(supplier, executor);
  }

  /** Attaches {@code relay} with plain {@code CompletableFuture} behaviour: for Baton's own relays. */
  @SuppressWarnings("FutureReturnValueIgnored") // the relay's stage only mirrors this one
  final void relayTo(BiConsumer<? super T, ? super @Nullable Throwable> relay) {
    super.whenComplete(relay);
  }

  // ------------------------------------------------------------------ the stage type

  /** A new incomplete {@code CallerFuture}: the type of every dependent stage. */
  @Override
  public <U> CallerFuture<U> newIncompleteFuture() {
    return new CallerFuture<>();
  }

  private static CallerBinding attacher() {
    return CallerBinding.capture();
  }

  private static <U> CallerFuture<U> own(CompletableFuture<U> stage) {
    return (CallerFuture<U>) stage;
  }

  // ------------------------------------------------------------------ CompletionStage

  @Override
  public <U> CallerFuture<U> thenApply(Function<? super T, ? extends U> fn) {
    return own(super.thenApply(attacher().wrapFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn) {
    return own(super.thenApplyAsync(attacher().wrapFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> thenApplyAsync(
      Function<? super T, ? extends U> fn, Executor executor) {
    return own(super.thenApplyAsync(attacher().wrapFunction(fn), executor));
  }

  @Override
  public CallerFuture<Void> thenAccept(Consumer<? super T> action) {
    return own(super.thenAccept(attacher().wrapConsumer(action)));
  }

  @Override
  public CallerFuture<Void> thenAcceptAsync(Consumer<? super T> action) {
    return own(super.thenAcceptAsync(attacher().wrapConsumer(action)));
  }

  @Override
  public CallerFuture<Void> thenAcceptAsync(Consumer<? super T> action, Executor executor) {
    return own(super.thenAcceptAsync(attacher().wrapConsumer(action), executor));
  }

  @Override
  public CallerFuture<Void> thenRun(Runnable action) {
    return own(super.thenRun(attacher().wrapRunnable(action)));
  }

  @Override
  public CallerFuture<Void> thenRunAsync(Runnable action) {
    return own(super.thenRunAsync(attacher().wrapRunnable(action)));
  }

  @Override
  public CallerFuture<Void> thenRunAsync(Runnable action, Executor executor) {
    return own(super.thenRunAsync(attacher().wrapRunnable(action), executor));
  }

  @Override
  public <U, V> CallerFuture<V> thenCombine(
      CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
    return own(super.thenCombine(other, attacher().wrapBiFunction(fn)));
  }

  @Override
  public <U, V> CallerFuture<V> thenCombineAsync(
      CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
    return own(super.thenCombineAsync(other, attacher().wrapBiFunction(fn)));
  }

  @Override
  public <U, V> CallerFuture<V> thenCombineAsync(CompletionStage<? extends U> other,
      BiFunction<? super T, ? super U, ? extends V> fn, Executor executor) {
    return own(super.thenCombineAsync(other, attacher().wrapBiFunction(fn), executor));
  }

  @Override
  public <U> CallerFuture<Void> thenAcceptBoth(
      CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
    return own(super.thenAcceptBoth(other, attacher().wrapBiConsumer(action)));
  }

  @Override
  public <U> CallerFuture<Void> thenAcceptBothAsync(
      CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
    return own(super.thenAcceptBothAsync(other, attacher().wrapBiConsumer(action)));
  }

  @Override
  public <U> CallerFuture<Void> thenAcceptBothAsync(CompletionStage<? extends U> other,
      BiConsumer<? super T, ? super U> action, Executor executor) {
    return own(super.thenAcceptBothAsync(other, attacher().wrapBiConsumer(action), executor));
  }

  @Override
  public CallerFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
    return own(super.runAfterBoth(other, attacher().wrapRunnable(action)));
  }

  @Override
  public CallerFuture<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
    return own(super.runAfterBothAsync(other, attacher().wrapRunnable(action)));
  }

  @Override
  public CallerFuture<Void> runAfterBothAsync(
      CompletionStage<?> other, Runnable action, Executor executor) {
    return own(super.runAfterBothAsync(other, attacher().wrapRunnable(action), executor));
  }

  @Override
  public <U> CallerFuture<U> applyToEither(
      CompletionStage<? extends T> other, Function<? super T, U> fn) {
    return own(super.applyToEither(other, attacher().wrapFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> applyToEitherAsync(
      CompletionStage<? extends T> other, Function<? super T, U> fn) {
    return own(super.applyToEitherAsync(other, attacher().wrapFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> applyToEitherAsync(
      CompletionStage<? extends T> other, Function<? super T, U> fn, Executor executor) {
    return own(super.applyToEitherAsync(other, attacher().wrapFunction(fn), executor));
  }

  @Override
  public CallerFuture<Void> acceptEither(
      CompletionStage<? extends T> other, Consumer<? super T> action) {
    return own(super.acceptEither(other, attacher().wrapConsumer(action)));
  }

  @Override
  public CallerFuture<Void> acceptEitherAsync(
      CompletionStage<? extends T> other, Consumer<? super T> action) {
    return own(super.acceptEitherAsync(other, attacher().wrapConsumer(action)));
  }

  @Override
  public CallerFuture<Void> acceptEitherAsync(
      CompletionStage<? extends T> other, Consumer<? super T> action, Executor executor) {
    return own(super.acceptEitherAsync(other, attacher().wrapConsumer(action), executor));
  }

  @Override
  public CallerFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
    return own(super.runAfterEither(other, attacher().wrapRunnable(action)));
  }

  @Override
  public CallerFuture<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
    return own(super.runAfterEitherAsync(other, attacher().wrapRunnable(action)));
  }

  @Override
  public CallerFuture<Void> runAfterEitherAsync(
      CompletionStage<?> other, Runnable action, Executor executor) {
    return own(super.runAfterEitherAsync(other, attacher().wrapRunnable(action), executor));
  }

  @Override
  public <U> CallerFuture<U> thenCompose(
      Function<? super T, ? extends CompletionStage<U>> fn) {
    return own(super.thenCompose(attacher().wrapFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> thenComposeAsync(
      Function<? super T, ? extends CompletionStage<U>> fn) {
    return own(super.thenComposeAsync(attacher().wrapFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> thenComposeAsync(
      Function<? super T, ? extends CompletionStage<U>> fn, Executor executor) {
    return own(super.thenComposeAsync(attacher().wrapFunction(fn), executor));
  }

  @Override
  public CallerFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
    return own(super.whenComplete(attacher().wrapBiConsumer(action)));
  }

  @Override
  public CallerFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
    return own(super.whenCompleteAsync(attacher().wrapBiConsumer(action)));
  }

  @Override
  public CallerFuture<T> whenCompleteAsync(
      BiConsumer<? super T, ? super Throwable> action, Executor executor) {
    return own(super.whenCompleteAsync(attacher().wrapBiConsumer(action), executor));
  }

  @Override
  public <U> CallerFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
    return own(super.handle(attacher().wrapBiFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn) {
    return own(super.handleAsync(attacher().wrapBiFunction(fn)));
  }

  @Override
  public <U> CallerFuture<U> handleAsync(
      BiFunction<? super T, Throwable, ? extends U> fn, Executor executor) {
    return own(super.handleAsync(attacher().wrapBiFunction(fn), executor));
  }

  @Override
  public CallerFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
    return own(super.exceptionally(attacher().wrapFunction(fn)));
  }

  @Override
  public CallerFuture<T> exceptionallyAsync(Function<Throwable, ? extends T> fn) {
    return own(super.exceptionallyAsync(attacher().wrapFunction(fn)));
  }

  @Override
  public CallerFuture<T> exceptionallyAsync(
      Function<Throwable, ? extends T> fn, Executor executor) {
    return own(super.exceptionallyAsync(attacher().wrapFunction(fn), executor));
  }

  @Override
  public CallerFuture<T> exceptionallyCompose(
      Function<Throwable, ? extends CompletionStage<T>> fn) {
    return own(super.exceptionallyCompose(attacher().wrapFunction(fn)));
  }

  @Override
  public CallerFuture<T> exceptionallyComposeAsync(
      Function<Throwable, ? extends CompletionStage<T>> fn) {
    return own(super.exceptionallyComposeAsync(attacher().wrapFunction(fn)));
  }

  @Override
  public CallerFuture<T> exceptionallyComposeAsync(
      Function<Throwable, ? extends CompletionStage<T>> fn, Executor executor) {
    return own(super.exceptionallyComposeAsync(attacher().wrapFunction(fn), executor));
  }

  /** This future itself. */
  @Override
  public CallerFuture<T> toCompletableFuture() {
    return this;
  }

  // ------------------------------------------------------------------ CompletableFuture

  /**
   * {@inheritDoc}
   *
   * <p>{@code supplier} runs as the caller who called this method.
   */
  @Override
  public CallerFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
    return own(super.completeAsync(attacher().wrapSupplier(supplier), executor));
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code supplier} runs as the caller who called this method.
   */
  @Override
  public CallerFuture<T> completeAsync(Supplier<? extends T> supplier) {
    return completeAsync(supplier, defaultExecutor());
  }

  @Override
  public CallerFuture<T> orTimeout(long timeout, TimeUnit unit) {
    return own(super.orTimeout(timeout, unit));
  }

  @Override
  public CallerFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
    return own(super.completeOnTimeout(value, timeout, unit));
  }

  @Override
  public CallerFuture<T> copy() {
    return own(super.copy());
  }

  /**
   * A stage completed as this one is, usable only through {@link CompletionStage}'s methods (as
   * {@link CompletableFuture#minimalCompletionStage()}), whose continuations run as their
   * attachers; an exception arrives wrapped in a {@link CompletionException}.
   */
  @Override
  public CompletionStage<T> minimalCompletionStage() {
    Minimal<T> stage = new Minimal<>();
    relayTo(stage::relay);
    return stage;
  }

  /**
   * The minimal stage: as the JDK's, every method outside {@link CompletionStage} (and
   * {@code toCompletableFuture}) throws {@link UnsupportedOperationException}. It is completed only
   * through {@link #relay}.
   */
  @SuppressWarnings("DoNotCallSuggester") // the JDK's minimal stage throws from the same methods
  static final class Minimal<T> extends CallerFuture<T> {
    Minimal() {}

    /** Completes this stage with what its source completed with, as the JDK's relay does. */
    void relay(@Nullable T value, @Nullable Throwable failure) {
      if (failure == null) {
        super.complete(value);
      } else {
        super.completeExceptionally(failure instanceof CompletionException
            ? failure : new CompletionException(failure));
      }
    }

    @Override
    public <U> CallerFuture<U> newIncompleteFuture() {
      return new Minimal<>();
    }

    /** A full {@code CallerFuture} completed as this stage is. */
    @Override
    public CallerFuture<T> toCompletableFuture() {
      CallerFuture<T> full = new CallerFuture<>();
      relayTo((value, failure) -> {
        if (failure == null) {
          full.complete(value);
        } else {
          full.completeExceptionally(failure instanceof CompletionException
              ? failure : new CompletionException(failure));
        }
      });
      return full;
    }

    @Override
    public T get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public T get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public T getNow(T valueIfAbsent) {
      throw new UnsupportedOperationException();
    }

    @Override
    public T join() {
      throw new UnsupportedOperationException();
    }

    // resultNow() and exceptionNow() (JDK 19+) are overridden on JDKs that have them.
    @SuppressWarnings("MissingOverride")
    public T resultNow() {
      throw new UnsupportedOperationException();
    }

    @SuppressWarnings("MissingOverride")
    public Throwable exceptionNow() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean complete(T value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void obtrudeValue(T value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void obtrudeException(Throwable ex) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isDone() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCancelled() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isCompletedExceptionally() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int getNumberOfDependents() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CallerFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CallerFuture<T> completeAsync(Supplier<? extends T> supplier) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CallerFuture<T> orTimeout(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CallerFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}
