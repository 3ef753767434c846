package dev.baton.spring.boot;

import dev.baton.CallerBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

/**
 * Spring's {@link SimpleAsyncTaskScheduler} whose scheduled tasks run as the caller who scheduled
 * them: each {@code schedule*} call captures the calling thread's {@link CallerBinding} and every
 * run of the task installs it (a task scheduled with no caller runs with an explicit "no caller").
 *
 * <p>Why a subclass: this scheduler hands a due task to its executor from its trigger thread, and
 * only then applies the {@code TaskDecorator}s, so a decorator captures the trigger thread (nobody);
 * fixed-delay tasks run on the trigger thread with no decorator at all. Capturing in the
 * {@code schedule*} call is the only point where the caller is known. {@code execute} and
 * {@code submit} are left to the decorator, which Spring applies on the calling thread. Being a
 * subclass, the bean keeps its type for applications that inject {@code SimpleAsyncTaskScheduler}.
 *
 * <p>The auto-configured {@code taskScheduler} with {@code spring.threads.virtual.enabled=true}
 * ({@link BatonTaskSchedulingAutoConfiguration}).
 */
final class CallerSimpleAsyncTaskScheduler extends SimpleAsyncTaskScheduler {
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
