package dev.baton.spring.boot;

import dev.baton.CallerBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Spring's {@link ThreadPoolTaskScheduler} whose scheduled tasks run as the caller who scheduled
 * them: each {@code schedule*} call captures the calling thread's {@link CallerBinding} and every
 * run of the task installs it (a task scheduled with no caller runs with an explicit "no caller").
 *
 * <p>The pool's own {@code TaskDecorator} also captures at the call, but a {@code Trigger}'s later
 * runs are re-submitted from the pool thread; capturing here makes every run of every kind
 * (one-shot, fixed rate, fixed delay, trigger) depend on the call alone. {@code execute} and
 * {@code submit} are left to the decorator, which Spring applies on the calling thread.
 *
 * <p>The auto-configured {@code taskScheduler} on platform threads ({@link BatonTaskSchedulingAutoConfiguration}).
 */
final class CallerThreadPoolTaskScheduler extends ThreadPoolTaskScheduler {
  private static final long serialVersionUID = 1L;

  @Override
  public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
    return super.schedule(asCaller(task), trigger);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
    return super.schedule(asCaller(task), startTime);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
    return super.scheduleAtFixedRate(asCaller(task), startTime, period);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
    return super.scheduleAtFixedRate(asCaller(task), period);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable task, Instant startTime, Duration delay) {
    return super.scheduleWithFixedDelay(asCaller(task), startTime, delay);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
    return super.scheduleWithFixedDelay(asCaller(task), delay);
  }

  private static Runnable asCaller(Runnable task) {
    return CallerBinding.capture().wrapRunnable(task);
  }
}
