package dev.baton.spring.boot;

import dev.baton.Baton;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The Spring Security bridge for servlet resource servers: registers {@link BearerCallerFilter}
 * right after Spring Security's filter chain ({@code spring.security.filter.order} + 1), so every
 * bearer-authenticated request runs bound to its caller. Active when Spring Security's OAuth 2.0
 * resource server is on the class path.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({
  Filter.class,
  OncePerRequestFilter.class,
  FilterRegistrationBean.class,
  AbstractOAuth2TokenAuthenticationToken.class
})
@ConditionalOnBean(Baton.class)
public class BatonSecurityAutoConfiguration {
  /** Spring Boot's default order of the security filter chain in the servlet chain. */
  private static final int DEFAULT_SECURITY_FILTER_ORDER = -100;

  /** Created by Spring. */
  public BatonSecurityAutoConfiguration() {}

  /**
   * The filter, registered just after Spring Security's.
   *
   * @param baton binds the caller
   * @param properties names the client id claim
   * @param strategy the application's security context strategy, if it defines one
   * @param environment gives {@code spring.security.filter.order}
   * @return the registration
   */
  @Bean
  public FilterRegistrationBean<BearerCallerFilter> batonBearerCallerFilter(
      Baton baton,
      BatonProperties properties,
      ObjectProvider<SecurityContextHolderStrategy> strategy,
      Environment environment) {
    var filter =
        new BearerCallerFilter(
            baton,
            strategy.getIfUnique(SecurityContextHolder::getContextHolderStrategy),
            properties.getClaims().getClientId());
    var registration = new FilterRegistrationBean<>(filter);
    int securityOrder =
        environment.getProperty(
            "spring.security.filter.order", Integer.class, DEFAULT_SECURITY_FILTER_ORDER);
    registration.setOrder(securityOrder + 1);
    registration.setName("batonBearerCallerFilter");
    return registration;
  }
}
