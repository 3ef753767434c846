package dev.baton;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link Baton#wrap(ExecutorService)}: captures the caller at submit, installs it around the task.
 *
 * <p>{@code submit} creates its futures through {@link #newTaskFor}, which captures on the
 * submitting thread; plain {@link #execute} captures around the runnable. Futures already made by
 * {@link #newTaskFor} pass through {@code execute} untouched, so each task is captured once.
 *
 * <p>Every call that may block &mdash; and so may run other work on the calling thread, as a
 * {@link ForkJoinPool} does while it waits &mdash; runs with the caller's binding hidden (an
 * explicit "no caller" installed), so no foreign task ever runs as the waiter.
 */
class PropagatingExecutorService extends AbstractExecutorService {
  private final Supplier<CallerBinding> capture;
  private final ExecutorService delegate;

  PropagatingExecutorService(Supplier<CallerBinding> capture, ExecutorService delegate) {
    this.capture = capture;
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  final CallerBinding captureNow() {
    return capture.get();
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    Objects.requireNonNull(callable, "task");
    return new PropagatingTask<>(captureNow().wrapCallable(callable));
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, @Nullable T value) {
    return newTaskFor(Executors.callable(Objects.requireNonNull(runnable, "task"), value));
  }

  @Override
  public void execute(Runnable command) {
    Objects.requireNonNull(command, "command");
    if (command instanceof PropagatingTask<?>) {
      delegate.execute(command);
      return;
    }
    delegate.execute(captureNow().wrapRunnable(command));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    List<Callable<T>> captured = captureAll(tasks);
    try (Scope hidden = CallerBinding.none().install()) {
      return delegate.invokeAll(captured);
    }
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    List<Callable<T>> captured = captureAll(tasks);
    try (Scope hidden = CallerBinding.none().install()) {
      return delegate.invokeAll(captured, timeout, unit);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    List<Callable<T>> captured = captureAll(tasks);
    try (Scope hidden = CallerBinding.none().install()) {
      return delegate.invokeAny(captured);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<Callable<T>> captured = captureAll(tasks);
    try (Scope hidden = CallerBinding.none().install()) {
      return delegate.invokeAny(captured, timeout, unit);
    }
  }

  /** Captures on the calling thread, before its binding is hidden for the wait. */
  private <T> List<Callable<T>> captureAll(Collection<? extends Callable<T>> tasks) {
    Objects.requireNonNull(tasks, "tasks");
    CallerBinding caller = captureNow();
    List<Callable<T>> captured = new ArrayList<>(tasks.size());
    for (Callable<T> task : tasks) {
      captured.add(caller.wrapCallable(Objects.requireNonNull(task, "task")));
    }
    return captured;
  }

  @Override
  public void shutdown() {
    try (Scope hidden = CallerBinding.none().install()) {
      delegate.shutdown();
    }
  }

  @Override
  public List<Runnable> shutdownNow() {
    try (Scope hidden = CallerBinding.none().install()) {
      return new ArrayList<>(delegate.shutdownNow());
    }
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    try (Scope hidden = CallerBinding.none().install()) {
      return delegate.awaitTermination(timeout, unit);
    }
  }

  /**
   * Closes the delegate as its own {@code close()} does (JDK 19+), with the caller's binding hidden;
   * on JDK 17, where {@code ExecutorService} has no {@code close()}, as JDK 19's default does. A
   * wrapper of the common pool returns at once, as the common pool's own {@code close()} does.
   * (No {@code @Override}: this compiles against Java 17, and overrides the default on 19+.)
   */
  public void close() {
    if (delegate == ForkJoinPool.commonPool()) {
      return;
    }
    try (Scope hidden = CallerBinding.none().install()) {
      if (delegate instanceof AutoCloseable closeable) {
        closeDelegate(closeable);
      } else {
        closeLikeJdk19();
      }
    }
  }

  private static void closeDelegate(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the executor failed", e);
    }
  }

  private void closeLikeJdk19() {
    boolean terminated = delegate.isTerminated();
    if (terminated) {
      return;
    }
    delegate.shutdown();
    boolean interrupted = false;
    while (!terminated) {
      try {
        terminated = delegate.awaitTermination(1L, TimeUnit.DAYS);
      } catch (InterruptedException e) {
        if (!interrupted) {
          delegate.shutdownNow();
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }

  /** A future whose callable already installs its caller. */
  private static final class PropagatingTask<T> extends FutureTask<T> {
    PropagatingTask(Callable<T> propagatingCallable) {
      super(propagatingCallable);
    }
  }
}
