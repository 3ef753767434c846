package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.BatonListener;
import dev.baton.micrometer.BatonMetrics;
import dev.baton.store.TokenSnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Baton's metrics in the application's {@link MeterRegistry}, when it has one (Spring Boot's
 * actuator) and {@code baton-micrometer} is on the class path: the {@value BatonMetrics#EVENTS}
 * counter receives the auto-configured Baton's events (as one more {@link BatonListener} bean,
 * beside the application's own) and the {@value BatonMetrics#STORE_OPERATION} timer times its
 * store. Off with {@code baton.metrics.enabled=false}.
 *
 * <p>A {@link BatonMetrics} bean of the application's own (for example
 * {@code BatonMetrics.of(observationRegistry)}, or one on another registry) is used instead of the
 * one made here. Runs after Spring Boot's metrics auto-configuration, as Boot's own meter binders
 * do, so that the registry it defines is seen.
 */
@AutoConfiguration(
    after = BatonAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass({BatonMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "baton.metrics.enabled", matchIfMissing = true)
public class BatonMetricsAutoConfiguration {

  /** Created by Spring. */
  public BatonMetricsAutoConfiguration() {}

  /**
   * Baton's meters in the application's registry.
   *
   * @param registry the application's registry
   * @return the metrics
   */
  @Bean
  @ConditionalOnMissingBean
  public BatonMetrics batonMetrics(MeterRegistry registry) {
    return BatonMetrics.of(registry);
  }

  /**
   * Counts the auto-configured Baton's events.
   *
   * @param metrics the metrics
   * @return the listener, composed with the application's {@code BatonListener} beans
   */
  @Bean
  public BatonListener batonMetricsListener(BatonMetrics metrics) {
    return metrics.listener();
  }

  /**
   * Times the auto-configured Baton's store. Applied before the application's customizers, so one
   * of them that sets a store of its own replaces the timed one.
   *
   * @param metrics the metrics
   * @param store the store the Baton is built with, if there is one
   * @return the customizer
   */
  @Bean
  public BatonBuilderCustomizer batonMetricsStoreCustomizer(
      BatonMetrics metrics, ObjectProvider<TokenSnapshotStore> store) {
    return new TimedStoreCustomizer(metrics, store);
  }

  /** Sets the builder's store to the timed one, first among the customizers. */
  private static final class TimedStoreCustomizer implements BatonBuilderCustomizer, Ordered {
    private final BatonMetrics metrics;
    private final ObjectProvider<TokenSnapshotStore> store;

    TimedStoreCustomizer(BatonMetrics metrics, ObjectProvider<TokenSnapshotStore> store) {
      this.metrics = metrics;
      this.store = store;
    }

    @Override
    public void customize(BatonBuilder builder) {
      store.ifUnique(unique -> builder.store(metrics.store(unique)));
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }
}
