package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.Baton;
import dev.baton.jobrunr.BatonJobFilter;
import dev.baton.jobrunr.ScheduleAfterExpiryPolicy;
import org.jobrunr.server.JobActivator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JobRunr part of the starter: its beans, and how they back off. */
class BatonJobRunrAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(
              BatonAutoConfiguration.class, BatonJobRunrAutoConfiguration.class));

  /** A job class that is a bean. */
  static class ReportJobs {}

  /** A job class that is no bean: JobRunr makes it with its constructor. */
  static class PlainJobs {}

  @Configuration(proxyBeanMethods = false)
  static class OwnFilter {
    @Bean
    BatonJobFilter myFilter(Baton baton) {
      return BatonJobFilter.of(baton, ScheduleAfterExpiryPolicy.RUN_WITHOUT_CALLER);
    }
  }

  @Test
  void batonJobFilter_isOverTheApplicationsBaton() {
    runner.run(context -> assertThat(context.getBean(BatonJobFilter.class).baton())
        .isSameAs(context.getBean(Baton.class)));
  }

  @Test
  void batonJobFilter_ofTheApplication_isUsedInstead() {
    runner
        .withUserConfiguration(OwnFilter.class)
        .run(context -> assertThat(context).getBeans(BatonJobFilter.class)
            .containsOnlyKeys("myFilter"));
  }

  @Test
  void withoutBatonJobrunr_noJobRunrBeans() {
    runner
        .withClassLoader(new FilteredClassLoader("dev.baton.jobrunr"))
        .run(context -> assertThat(context)
            .hasNotFailed()
            .doesNotHaveBean(BatonJobFilter.class)
            .doesNotHaveBean(JobActivator.class));
  }

  @Test
  void jobActivator_answersTheBeanOfTheJobsClass() {
    runner
        .withBean(ReportJobs.class)
        .run(context -> assertThat(context.getBean(JobActivator.class)
                .activateJob(ReportJobs.class))
            .isSameAs(context.getBean(ReportJobs.class)));
  }

  @Test
  void jobActivator_forAClassWithNoBean_answersNull_soJobRunrUsesTheConstructor() {
    runner.run(context -> assertThat(context.getBean(JobActivator.class)
        .activateJob(PlainJobs.class)).isNull());
  }

  @Test
  void jobActivator_forAClassWithTwoBeans_throws_ratherThanRunOnANewInstance() {
    runner
        .withBean("one", ReportJobs.class)
        .withBean("two", ReportJobs.class)
        .run(context -> assertThatThrownBy(() -> context.getBean(JobActivator.class)
                .activateJob(ReportJobs.class))
            .isInstanceOf(NoUniqueBeanDefinitionException.class));
  }

  @Test
  void jobActivator_ofTheApplication_isUsedInstead() {
    JobActivator mine = new JobActivator() {
      @Override
      public <T> T activateJob(Class<T> type) {
        throw new UnsupportedOperationException("mine");
      }
    };
    runner
        .withBean("myActivator", JobActivator.class, () -> mine)
        .run(context -> assertThat(context.getBean(JobActivator.class)).isSameAs(mine));
  }
}
