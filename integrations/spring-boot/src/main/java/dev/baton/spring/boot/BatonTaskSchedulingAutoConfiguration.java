package dev.baton.spring.boot;

import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.TaskManagementConfigUtils;

/**
 * The application's {@code taskScheduler}, exactly where and as Spring Boot's
 * {@code TaskSchedulingAutoConfiguration} would define it (with {@code @EnableScheduling}, when the
 * application has no {@code TaskScheduler} or {@code ScheduledExecutorService} of its own; a
 * {@code ThreadPoolTaskScheduler}, or a {@code SimpleAsyncTaskScheduler} on virtual threads),
 * configured by Boot's builder ({@code spring.task.scheduling.*}, customizers, task decorators), but
 * of a subclass that captures the caller in every {@code schedule*} call. Boot's own definition then
 * backs off. See {@link CallerSimpleAsyncTaskScheduler} for why a task decorator alone is not
 * enough.
 */
@AutoConfiguration(before = TaskSchedulingAutoConfiguration.class)
@ConditionalOnBean(name = TaskManagementConfigUtils.SCHEDULED_ANNOTATION_PROCESSOR_BEAN_NAME)
@ConditionalOnMissingBean({TaskScheduler.class, ScheduledExecutorService.class})
public final class BatonTaskSchedulingAutoConfiguration {

  /** Created by Spring. */
  public BatonTaskSchedulingAutoConfiguration() {}

  @Bean(name = "taskScheduler")
  @ConditionalOnThreading(Threading.VIRTUAL)
  SimpleAsyncTaskScheduler taskSchedulerVirtualThreads(
      ObjectProvider<SimpleAsyncTaskSchedulerBuilder> builder) {
    return builder
        .getIfAvailable(() -> new SimpleAsyncTaskSchedulerBuilder().virtualThreads(true))
        .configure(new CallerSimpleAsyncTaskScheduler());
  }

  @Bean(name = "taskScheduler")
  @ConditionalOnThreading(Threading.PLATFORM)
  ThreadPoolTaskScheduler taskScheduler(ObjectProvider<ThreadPoolTaskSchedulerBuilder> builder) {
    return builder
        .getIfAvailable(ThreadPoolTaskSchedulerBuilder::new)
        .configure(new CallerThreadPoolTaskScheduler());
  }
}
