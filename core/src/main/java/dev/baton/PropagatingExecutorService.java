package dev.baton;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@link Baton#wrap(ExecutorService)}: captures the caller at submit, installs it around the task.
 *
 * <p>{@code submit}, {@code invokeAll} and {@code invokeAny} create their futures through
 * {@link #newTaskFor}, which captures on the submitting thread; plain {@link #execute} captures
 * around the runnable. Futures already made by {@link #newTaskFor} pass through {@code execute}
 * untouched, so each task is captured once.
 */
final class PropagatingExecutorService extends AbstractExecutorService {
  private final Baton baton;
  private final ExecutorService delegate;

  PropagatingExecutorService(Baton baton, ExecutorService delegate) {
    this.baton = baton;
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    Objects.requireNonNull(callable, "task");
    TaskContext context = baton.captureLocal();
    return new PropagatingTask<>(() -> Baton.callLocal(context, callable));
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
    TaskContext context = baton.captureLocal();
    delegate.execute(() -> Baton.runLocal(context, command));
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return new ArrayList<>(delegate.shutdownNow());
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
    return delegate.awaitTermination(timeout, unit);
  }

  @Override
  public String toString() {
    return "PropagatingExecutorService[" + delegate + "]";
  }

  /** A future whose callable already installs its caller. */
  private static final class PropagatingTask<T> extends FutureTask<T> {
    PropagatingTask(Callable<T> propagatingCallable) {
      super(propagatingCallable);
    }
  }
}
