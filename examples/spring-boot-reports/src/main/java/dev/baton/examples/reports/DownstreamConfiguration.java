package dev.baton.examples.reports;

import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** Outside the demo, the downstream API is wherever {@code reports.downstream-url} says. */
@Configuration(proxyBeanMethods = false)
@Profile("!demo")
class DownstreamConfiguration {

  @Bean
  Downstream downstream(@Value("${reports.downstream-url}") URI url) {
    return new Downstream(url);
  }
}
