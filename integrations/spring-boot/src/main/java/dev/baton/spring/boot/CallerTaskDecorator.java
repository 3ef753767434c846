package dev.baton.spring.boot;

import dev.baton.CallerBinding;
import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task as the caller who submitted it: captures the submitting thread's
 * {@link CallerBinding} when the task is handed to the executor and installs it around the task,
 * restoring the worker thread exactly afterwards. A task submitted with no caller runs with an
 * explicit "no caller", so it never inherits whatever identity the worker thread held.
 *
 * <p>Spring Boot applies every {@code TaskDecorator} bean to its auto-configured
 * {@code ThreadPoolTaskExecutor}, {@code SimpleAsyncTaskExecutor} and task schedulers (several are
 * composed), so {@code @Async} methods run as their caller with no code. Stateless and thread-safe.
 */
public final class CallerTaskDecorator implements TaskDecorator {

  /** Creates the decorator. */
  public CallerTaskDecorator() {}

  @Override
  public Runnable decorate(Runnable runnable) {
    return CallerBinding.capture().wrapRunnable(runnable);
  }
}
