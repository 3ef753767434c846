package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.BatonBuilder;
import dev.baton.BatonListener;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * A {@link Baton} built from the {@code baton.*} properties ({@link BatonProperties}), its store
 * opened from {@code baton.store} and closed when the context shuts down, and a
 * {@link CallerTaskDecorator} that Spring Boot's task execution and scheduling auto-configuration
 * apply to their executors (the scheduler is {@link BatonTaskSchedulingAutoConfiguration}'s).
 *
 * <p>Backs off when the application defines its own {@code Baton} (then no store is opened either)
 * or its own {@link TokenSnapshotStore} (then that one is used and the application closes it).
 */
@AutoConfiguration(before = {TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class})
@EnableConfigurationProperties(BatonProperties.class)
public class BatonAutoConfiguration {
  private static final String DELEGATION_CLASS = "dev.baton.oauth2.TokenExchangeDelegation";


  /** Created by Spring. */
  public BatonAutoConfiguration() {}

  /**
   * The store {@code baton.store} names, opened at startup: a URI that no store module accepts (a
   * misspelt parameter, a missing module, an unreachable server) fails startup with Baton's message.
   *
   * @param properties the bound properties
   * @return the open store, closed by Spring on shutdown
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean({Baton.class, TokenSnapshotStore.class})
  public TokenSnapshotStore batonTokenSnapshotStore(BatonProperties properties) {
    try {
      return TokenSnapshotStores.open(properties.getStore());
    } catch (RuntimeException e) {
      // Analyzed into Boot's startup failure report (BatonStoreFailureAnalyzer).
      throw new StoreOpenException(properties.getStore(), e);
    }
  }

  /**
   * The Baton, from the properties, then every {@link BatonListener} bean (all of them receive
   * each event, in order: the application's own beside Baton's metrics), then every
   * {@link BatonBuilderCustomizer}. A customizer that sets a listener replaces the listener beans;
   * declare a {@code BatonListener} bean to add one instead.
   *
   * @param properties the bound properties
   * @param store the store, if there is one
   * @param listeners the listeners, composed in order
   * @param customizers the customizers, applied in order
   * @return the Baton
   */
  @Bean
  @ConditionalOnMissingBean
  public Baton baton(
      BatonProperties properties,
      ObjectProvider<TokenSnapshotStore> store,
      ObjectProvider<BatonListener> listeners,
      ObjectProvider<BatonBuilderCustomizer> customizers,
      ApplicationContext context) {
    if (!properties.getDelegation().isEmpty()
        && !ClassUtils.isPresent(DELEGATION_CLASS, context.getClassLoader())) {
      // baton.* binds strictly; baton.delegation.* is let through untyped, so say it here.
      throw new IllegalStateException("baton.delegation.* is set, but baton-oauth2 is not on the"
          + " class path: add the dependency dev.baton:baton-oauth2, or remove the properties");
    }
    BatonBuilder builder =
        Baton.builder()
            .snapshotTtl(properties.getSnapshotTtl())
            .leeway(properties.getLeeway())
            .cleanupPolicy(properties.getCleanupPolicy())
            .restoreFailurePolicy(properties.getRestoreFailurePolicy())
            .restoreMode(properties.getRestoreMode());
    store.ifUnique(builder::store);
    List<BatonListener> all = listeners.orderedStream().toList();
    if (!all.isEmpty()) {
      builder.listener(all.size() == 1 ? all.get(0) : new BatonListenerChain(all));
    }
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /**
   * The decorator that makes Spring's auto-configured executors and schedulers run each task as the
   * caller who submitted it.
   *
   * @return the decorator
   */
  @Bean
  @ConditionalOnMissingBean
  public CallerTaskDecorator batonCallerTaskDecorator() {
    return new CallerTaskDecorator();
  }
}
