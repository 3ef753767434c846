package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.TaskKey;
import dev.baton.micrometer.BatonMetrics;
import dev.baton.store.TokenSnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class BatonMetricsAutoConfigurationTest {
  private static final AccessToken CALLER =
      AccessToken.builder("eyJ.metrics-test-token", "metrics-app").subject("olivia").build();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MetricsAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  BatonAutoConfiguration.class,
                  BatonMetricsAutoConfiguration.class,
                  BatonHealthAutoConfiguration.class));

  @Test
  void withMeterRegistry_capturesAreCountedAndStoreOperationsTimed() {
    runner.run(
        context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);

          context.getBean(Baton.class).capture(TaskKey.random(CALLER), CALLER);

          assertThat(registry.get(BatonMetrics.EVENTS).tag("type", "captured").counter().count())
              .isEqualTo(1);
          assertThat(
                  registry
                      .get(BatonMetrics.STORE_OPERATION)
                      .tags("operation", "save", "store", "MemoryTokenSnapshotStore")
                      .timer()
                      .count())
              .isEqualTo(1);
        });
  }

  @Test
  void applicationListenerBean_receivesEventsBesideTheMetrics() {
    List<BatonEvent> seen = new CopyOnWriteArrayList<>();
    runner
        .withBean("auditListener", BatonListener.class, () -> seen::add)
        .run(
            context -> {
              context.getBean(Baton.class).capture(TaskKey.random(CALLER), CALLER);

              assertThat(seen).extracting(BatonEvent::type).containsExactly(BatonEvent.Type.CAPTURED);
              assertThat(
                      context.getBean(MeterRegistry.class)
                          .get(BatonMetrics.EVENTS)
                          .tag("type", "captured")
                          .counter()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void applicationCustomizer_composesWithTheMetrics() {
    Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    runner
        .withBean(BatonBuilderCustomizer.class, () -> builder -> builder.clock(fixed))
        .run(
            context -> {
              Baton baton = context.getBean(Baton.class);
              baton.capture(TaskKey.random(CALLER), CALLER);

              assertThat(baton.clock()).isSameAs(fixed);
              assertThat(
                      context.getBean(MeterRegistry.class)
                          .get(BatonMetrics.STORE_OPERATION)
                          .tag("operation", "save")
                          .timer()
                          .count())
                  .isEqualTo(1);
            });
  }

  @Test
  void applicationMetricsBean_isUsedAndNoSecondOneIsMade() {
    SimpleMeterRegistry own = new SimpleMeterRegistry();
    runner
        .withBean(BatonMetrics.class, () -> BatonMetrics.of(own))
        .run(
            context -> {
              context.getBean(Baton.class).capture(TaskKey.random(CALLER), CALLER);

              assertThat(context).hasSingleBean(BatonMetrics.class);
              assertThat(own.get(BatonMetrics.EVENTS).tag("type", "captured").counter().count())
                  .isEqualTo(1);
              assertThat(context.getBean(MeterRegistry.class).find(BatonMetrics.EVENTS).meters())
                  .isEmpty();
            });
  }

  @Test
  void metricsDisabledByProperty_registerNoMetersAndLeaveTheStoreUntimed() {
    runner
        .withPropertyValues("baton.metrics.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(BatonMetrics.class);
              context.getBean(Baton.class).capture(TaskKey.random(CALLER), CALLER);

              MeterRegistry registry = context.getBean(MeterRegistry.class);
              assertThat(registry.find(BatonMetrics.EVENTS).meters()).isEmpty();
              assertThat(registry.find(BatonMetrics.STORE_OPERATION).meters()).isEmpty();
              assertThat(context.getBean(Baton.class).store())
                  .containsSame(context.getBean("batonTokenSnapshotStore", TokenSnapshotStore.class));
            });
  }

  @Test
  void misspeltMetricsProperty_failsStartup() {
    runner
        .withPropertyValues("baton.metrics.enabeld=false")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("baton.metrics.enabeld"));
  }

  @Test
  void withoutMeterRegistry_noMetricsAreMade() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(BatonAutoConfiguration.class, BatonMetricsAutoConfiguration.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(BatonMetrics.class);
              assertThat(context.getBean(Baton.class).store())
                  .containsSame(context.getBean("batonTokenSnapshotStore", TokenSnapshotStore.class));
            });
  }

  @Test
  void healthProbes_areNotCountedAsStoreOperations() {
    runner.run(
        context -> {
          Health health = context.getBean(BatonStoreHealthIndicator.class).health();

          assertThat(health.getDetails()).containsEntry("store", "MemoryTokenSnapshotStore");
          assertThat(
                  context.getBean(MeterRegistry.class).find(BatonMetrics.STORE_OPERATION).meters())
              .isEmpty();
        });
  }
}
