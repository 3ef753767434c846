package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.jobrunr.BatonJobFilter;
import org.jobrunr.server.JobActivator;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Jobs on JobRunr run as their caller, when the application has {@code baton-jobrunr}: a
 * {@link BatonJobFilter} bean over the application's {@link Baton}, for the application's own
 * JobRunr wiring to register ({@code JobRunr.configure()...withJobFilter(batonJobFilter)}).
 *
 * <p>Why a bean and not the whole wiring: JobRunr's own Spring Boot 4 starter, which would configure
 * JobRunr from a {@code StorageProvider} bean and let this hand it the filter, is not available, so
 * the application configures JobRunr itself; the filter is the one thing it needs from Baton. The
 * jar's performer factory (which restores the caller and fails a job closed) is found by JobRunr's
 * {@link java.util.ServiceLoader} with no configuration.
 *
 * <p>It also exposes a {@link JobActivator} over the application context, for
 * {@code useJobActivator(jobActivator)}: without one, JobRunr creates the object a job runs on with
 * its no-argument constructor, so {@code BackgroundJob.enqueue(() -> reports.generate(id))} on a
 * Spring bean would run on a fresh, unproxied instance &mdash; no {@code @PreAuthorize}, no
 * {@code @Transactional}, no injected fields. With it, the job runs on the bean (its proxy). A job
 * class that is no bean is left to JobRunr's constructor, as without an activator; a class with
 * several beans fails the job rather than guess which one.
 *
 * <p>Backs off bean by bean, for a {@link BatonJobFilter} of the application's own (for instance one
 * built with {@link dev.baton.jobrunr.ScheduleAfterExpiryPolicy#RUN_WITHOUT_CALLER}) and for a
 * {@link JobActivator} of its own; and altogether when there is no {@link Baton} bean.
 */
@AutoConfiguration(
    after = BatonAutoConfiguration.class,
    afterName = "org.jobrunr.spring.autoconfigure.JobRunrAutoConfiguration")
@ConditionalOnClass(BatonJobFilter.class)
@ConditionalOnBean(Baton.class)
public class BatonJobRunrAutoConfiguration {

  /** Created by Spring. */
  public BatonJobRunrAutoConfiguration() {}

  /**
   * The job filter over the application's Baton: captures the creating thread's caller, refuses a
   * job scheduled to start after its caller's token expires, and deletes the snapshot at the job's
   * final state.
   *
   * @param baton the Baton (it needs a store every JVM that creates or runs jobs shares)
   * @return the filter to hand to {@code JobRunr.configure().withJobFilter(...)}
   */
  @Bean
  @ConditionalOnMissingBean
  public BatonJobFilter batonJobFilter(Baton baton) {
    return BatonJobFilter.of(baton);
  }

  /**
   * JobRunr's job activator over the application context: the job runs on the bean of the job's
   * class (its proxy, when Spring proxies it).
   *
   * @param beans the application's bean factory
   * @return the activator to hand to {@code JobRunr.configure().useJobActivator(...)}
   */
  @Bean
  @ConditionalOnMissingBean
  public JobActivator jobActivator(BeanFactory beans) {
    return new BeanFactoryJobActivator(beans);
  }

  /** Answers the bean of a job's class; {@code null} (JobRunr then uses the constructor) for none. */
  private static final class BeanFactoryJobActivator implements JobActivator {
    private final BeanFactory beans;

    BeanFactoryJobActivator(BeanFactory beans) {
      this.beans = beans;
    }

    @Override
    public <T> @Nullable T activateJob(Class<T> type) {
      // getIfAvailable, not getIfUnique: two beans of the type throw (the job fails) instead of
      // reading as "no bean", which would run the job on an unproxied new instance.
      return beans.getBeanProvider(type).getIfAvailable();
    }

    @Override
    public String toString() {
      return "BeanFactoryJobActivator";
    }
  }
}
