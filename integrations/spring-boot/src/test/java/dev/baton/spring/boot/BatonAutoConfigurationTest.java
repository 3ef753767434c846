package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Baton;
import dev.baton.CleanupPolicy;
import dev.baton.RestoreFailurePolicy;
import dev.baton.store.TokenSnapshotStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.TaskDecorator;

class BatonAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(BatonAutoConfiguration.class, TaskExecutionAutoConfiguration.class));

  @Test
  void defaults_buildBatonOnTheMemoryStore() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(Baton.class).hasSingleBean(TokenSnapshotStore.class);
          Baton baton = context.getBean(Baton.class);
          assertThat(baton.store()).containsSame(context.getBean(TokenSnapshotStore.class));
          assertThat(context).hasSingleBean(CallerTaskDecorator.class);
        });
  }

  @Test
  void properties_areBound() {
    runner
        .withPropertyValues(
            "baton.snapshot-ttl=5m",
            "baton.leeway=10s",
            "baton.cleanup-policy=ttl-only",
            "baton.restore-failure-policy=run-unauthenticated")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              BatonProperties properties = context.getBean(BatonProperties.class);
              assertThat(properties.getSnapshotTtl()).isEqualTo(Duration.ofMinutes(5));
              assertThat(properties.getLeeway()).isEqualTo(Duration.ofSeconds(10));
              assertThat(properties.getCleanupPolicy()).isEqualTo(CleanupPolicy.TTL_ONLY);
              assertThat(properties.getRestoreFailurePolicy())
                  .isEqualTo(RestoreFailurePolicy.RUN_UNAUTHENTICATED);
            });
  }

  @Test
  void delegationProperties_withoutBatonOauth2_failStartupNamingTheDependency() {
    runner
        .withClassLoader(new FilteredClassLoader("dev.baton.oauth2"))
        .withPropertyValues("baton.delegation.token-endpoint=http://127.0.0.1:9/token")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("baton.delegation.* is set")
                    .hasMessageContaining("dev.baton:baton-oauth2"));
  }

  @Test
  void userDefinedBaton_backsOffAndOpensNoStore() {
    Baton own = Baton.builder().build();
    runner
        .withBean(Baton.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(Baton.class)).isSameAs(own);
              assertThat(context).doesNotHaveBean(TokenSnapshotStore.class);
            });
  }

  @Test
  void unknownBatonProperty_failsStartup() {
    runner
        .withPropertyValues("baton.snapshot-tll=5m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("baton.snapshot-tll"));
  }

  @Test
  void misspeltStoreParameter_failsStartupWithBatonsMessage() {
    runner
        .withPropertyValues("baton.store=memory:local?sealingkeys=env:BATON_KEYS")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sealingKeys"));
  }

  @Test
  void misspeltRedisSealingParameter_failsStartupBeforeConnecting() {
    // Port 1 on loopback: nothing listens, so only the parameter check can produce this message.
    runner
        .withPropertyValues("baton.store=redis://127.0.0.1:1?sealingkeys=env:BATON_KEYS")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sealingkeys")
                    .hasMessageContaining("sealingKeys"));
  }

  @Test
  void conflictingPolicies_failStartupWithBatonsMessage() {
    runner
        .withPropertyValues("baton.restore-mode=take", "baton.cleanup-policy=ttl-only")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("TTL_ONLY"));
  }

  @Test
  void negativeLeeway_failsStartupWithBatonsMessage() {
    runner
        .withPropertyValues("baton.leeway=-1s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("leeway"));
  }

  @Test
  void storeOpenedFromProperties_isClosedWithTheContext() {
    runner
        .withPropertyValues("baton.store=memory:local")
        .run(
            context -> {
              var definition =
                  (org.springframework.beans.factory.support.AbstractBeanDefinition)
                      context.getBeanFactory().getBeanDefinition("batonTokenSnapshotStore");
              assertThat(definition.getDestroyMethodNames()).containsExactly("close");
            });
  }

  @Test
  void taskExecutor_appliesTheCallerDecorator() {
    runner.run(
        context ->
            assertThat(context.getBeansOfType(TaskDecorator.class).values())
                .hasExactlyElementsOfTypes(CallerTaskDecorator.class));
  }
}
