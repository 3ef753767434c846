package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

/**
 * {@code spring.threads.virtual.enabled=true}: Boot's scheduler is a
 * {@code SimpleAsyncTaskScheduler}, which applies task decorators on its trigger thread when a task
 * is due; the caller must still be the one who scheduled it.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@SpringBootTest(
    classes = ResourceServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.threads.virtual.enabled=true")
class VirtualThreadSchedulerCallerTest extends SchedulerCallerContract {
  @Autowired SimpleAsyncTaskScheduler taskScheduler;

  @Test
  void taskScheduler_isBootsVirtualThreadSchedulerType() {
    assertThat(taskScheduler).isInstanceOf(CallerSimpleAsyncTaskScheduler.class);
    assertThat(taskScheduler.getThreadNamePrefix()).isEqualTo("scheduling-");
  }
}
