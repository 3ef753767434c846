package dev.baton.spring.boot;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Spring Security's context inside jobs: a {@link BatonSecurityContextHolderStrategy} bean (the one
 * Spring Security's filters and method security ({@code @PreAuthorize}) use) that is also installed
 * as {@link SecurityContextHolder}'s strategy for code that calls it statically, and put back when
 * the context closes. In a job Baton restored it answers the caller's authentication, mapped as the
 * application maps bearer tokens: its {@code JwtAuthenticationConverter} bean (Boot defines one from
 * {@code spring.security.oauth2.resourceserver.jwt.*} properties) or, in an opaque-token
 * application (an {@code OpaqueTokenIntrospector} and no {@code JwtDecoder}), its
 * {@code OpaqueTokenAuthenticationConverter} bean; else Spring's defaults ({@code SCOPE_} + scope).
 *
 * <p>Needs no web server: a worker process restoring jobs by key gets the same context. Backs off
 * when the application defines its own {@code SecurityContextHolderStrategy} bean; off with
 * {@code baton.security-context.enabled=false}.
 */
@AutoConfiguration(after = BatonAutoConfiguration.class)
@ConditionalOnClass({
  SecurityContextHolderStrategy.class,
  AbstractOAuth2TokenAuthenticationToken.class,
  Jwt.class
})
@ConditionalOnBooleanProperty(name = "baton.security-context.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(SecurityContextHolderStrategy.class)
public final class BatonSecurityContextAutoConfiguration {

  /** Created by Spring. */
  public BatonSecurityContextAutoConfiguration() {}

  /**
   * The strategy, wrapping the strategy {@link SecurityContextHolder} holds at startup.
   *
   * @param jwtConverter the application's JWT converter, if any
   * @param opaqueConverter the application's opaque-token converter, if any
   * @param introspector the application's introspector, if any
   * @param jwtDecoder the application's JWT decoder, if any
   * @return the strategy
   */
  @Bean
  public BatonSecurityContextHolderStrategy batonSecurityContextHolderStrategy(
      ObjectProvider<JwtAuthenticationConverter> jwtConverter,
      ObjectProvider<OpaqueTokenAuthenticationConverter> opaqueConverter,
      ObjectProvider<OpaqueTokenIntrospector> introspector,
      ObjectProvider<JwtDecoder> jwtDecoder) {
    CallerAuthentications authentications;
    OpaqueTokenAuthenticationConverter opaque = opaqueConverter.getIfUnique();
    if (opaque != null
        || (introspector.getIfUnique() != null && jwtDecoder.getIfUnique() == null)) {
      authentications = CallerAuthentications.opaque(opaque);
    } else {
      authentications =
          CallerAuthentications.jwt(jwtConverter.getIfUnique(JwtAuthenticationConverter::new));
    }
    SecurityContextHolderStrategy current = SecurityContextHolder.getContextHolderStrategy();
    if (current instanceof BatonSecurityContextHolderStrategy baton) {
      current = baton.delegate(); // another application context in this JVM installed one
    }
    return new BatonSecurityContextHolderStrategy(current, authentications);
  }

  /**
   * Installs the strategy in {@link SecurityContextHolder} and, on shutdown, puts back the one it
   * wraps (unless another was installed since).
   *
   * @param strategy the strategy
   * @return what uninstalls it
   */
  @Bean
  public DisposableBean batonSecurityContextHolderInstallation(
      BatonSecurityContextHolderStrategy strategy) {
    SecurityContextHolder.setContextHolderStrategy(strategy);
    return () -> {
      if (SecurityContextHolder.getContextHolderStrategy() == strategy) {
        SecurityContextHolder.setContextHolderStrategy(strategy.delegate());
      }
    };
  }
}
