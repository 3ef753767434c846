package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;

/** When the security context auto-configuration applies, and what it leaves behind. */
class BatonSecurityContextAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BatonAutoConfiguration.class, BatonSecurityContextAutoConfiguration.class));

  @Test
  void defaults_installTheStrategyAndPutBackTheOneItWrapsOnClose() {
    SecurityContextHolderStrategy before = SecurityContextHolder.getContextHolderStrategy();
    runner.run(
        context -> {
          var strategy = context.getBean(BatonSecurityContextHolderStrategy.class);
          assertThat(SecurityContextHolder.getContextHolderStrategy()).isSameAs(strategy);
        });
    assertThat(SecurityContextHolder.getContextHolderStrategy()).isSameAs(before);
  }

  @Test
  void disabled_definesNoStrategy() {
    runner
        .withPropertyValues("baton.security-context.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(SecurityContextHolderStrategy.class));
  }

  @Test
  void applicationsOwnStrategy_backsOff() {
    SecurityContextHolderStrategy own = SecurityContextHolder.getContextHolderStrategy();
    runner
        .withBean(SecurityContextHolderStrategy.class, () -> own)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(BatonSecurityContextHolderStrategy.class);
            });
  }
}
