package dev.baton;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@link Baton#wrap(ExecutorService)}: captures at submit, restores in the worker.
 *
 * <p>{@code submit}, {@code invokeAll} and {@code invokeAny} create their futures through
 * {@link #newTaskFor}, which captures on the submitting thread and puts the restore <em>inside</em>
 * the future. That way a failed restore completes the future exceptionally (rather than leaving it
 * pending forever), and a task that throws counts as failed for {@link CleanupPolicy}. Plain
 * {@link #execute} captures and restores around the runnable.
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
    TaskKey key = baton.capture();
    return new RestoringTask<>(key, () -> baton.call(key, callable));
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, @Nullable T value) {
    return newTaskFor(Executors.callable(Objects.requireNonNull(runnable, "task"), value));
  }

  @Override
  public void execute(Runnable command) {
    if (!(command instanceof RestoringTask<?> task)) {
      baton.execute(delegate, command);
      return;
    }
    try {
      delegate.execute(task);
    } catch (RuntimeException | Error e) {
      baton.discard(task.key);
      throw e;
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  /** Tasks that never ran keep their snapshots until the TTL ends them. */
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

  /** A future whose callable already restores the caller captured under {@code key}. */
  private static final class RestoringTask<T> extends FutureTask<T> {
    final TaskKey key;

    RestoringTask(TaskKey key, Callable<T> restoringCallable) {
      super(restoringCallable);
      this.key = key;
    }
  }
}
