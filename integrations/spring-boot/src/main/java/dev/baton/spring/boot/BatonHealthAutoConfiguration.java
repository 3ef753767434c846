package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.store.TokenSnapshotStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code baton} health indicator ({@link BatonStoreHealthIndicator}) when Spring Boot's health
 * support is on the class path; off with
 * {@code management.health.baton.enabled=false}.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(Baton.class)
@ConditionalOnEnabledHealthIndicator("baton")
public class BatonHealthAutoConfiguration {

  /** Created by Spring. */
  public BatonHealthAutoConfiguration() {}

  /**
   * The indicator for the Baton's store.
   *
   * @param baton the Baton whose store is probed
   * @param properties where the store's URI came from, when the store is the auto-configured one
   * @param configuredStore the auto-configured store, if it was created
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "batonHealthIndicator")
  public BatonStoreHealthIndicator batonHealthIndicator(
      Baton baton,
      BatonProperties properties,
      @Qualifier("batonTokenSnapshotStore") ObjectProvider<TokenSnapshotStore> configuredStore) {
    // The auto-configured store exists only beside the auto-configured Baton, which holds it
    // (timed, when Baton's metrics are on).
    TokenSnapshotStore configured = configuredStore.getIfAvailable();
    return configured != null
        ? new BatonStoreHealthIndicator(configured, properties.getStore())
        : new BatonStoreHealthIndicator(baton, null);
  }
}
