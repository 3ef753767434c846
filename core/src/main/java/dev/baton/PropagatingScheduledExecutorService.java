package dev.baton;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link Baton#wrap(ScheduledExecutorService)}: the caller is captured when a task is scheduled and
 * installed around every run of it, periodic runs included.
 */
final class PropagatingScheduledExecutorService extends PropagatingExecutorService
    implements ScheduledExecutorService {
  private final ScheduledExecutorService scheduler;

  PropagatingScheduledExecutorService(
      Supplier<CallerBinding> capture, ScheduledExecutorService delegate) {
    super(capture, delegate);
    this.scheduler = delegate;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return scheduler.schedule(captureNow().wrapRunnable(command), delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Objects.requireNonNull(callable, "callable");
    return scheduler.schedule(captureNow().wrapCallable(callable), delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return scheduler.scheduleAtFixedRate(
        captureNow().wrapRunnable(command), initialDelay, period, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return scheduler.scheduleWithFixedDelay(
        captureNow().wrapRunnable(command), initialDelay, delay, unit);
  }
}
