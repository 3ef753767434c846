package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The auto-configured {@code ThreadPoolTaskScheduler} (platform threads, every JDK). */
@SpringBootTest(
    classes = ResourceServerApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlatformSchedulerCallerTest extends SchedulerCallerContract {
  @Autowired ThreadPoolTaskScheduler taskScheduler;

  @Test
  void taskScheduler_isBootsTypeConfiguredByBootsBuilder() {
    assertThat(taskScheduler).isInstanceOf(CallerThreadPoolTaskScheduler.class);
    assertThat(taskScheduler.getThreadNamePrefix()).isEqualTo("scheduling-");
  }
}
