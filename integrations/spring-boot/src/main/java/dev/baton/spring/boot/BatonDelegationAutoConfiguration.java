package dev.baton.spring.boot;

import dev.baton.BatonBuilder;
import dev.baton.TokenExchanger;
import dev.baton.oauth2.TokenExchangeDelegation;
import java.net.URI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Delegation at capture (OAuth 2.0 Token Exchange) for the auto-configured Baton, when
 * {@code baton-oauth2} is on the class path: a {@link TokenExchangeDelegation} from the
 * {@code baton.delegation.*} properties ({@link BatonDelegationProperties}) once
 * {@code baton.delegation.token-endpoint} is set, and a {@link BatonBuilderCustomizer} that hands
 * the application's {@link TokenExchanger} bean &mdash; that one, or one of the application's own
 * &mdash; to {@link dev.baton.BatonBuilder#delegation}.
 *
 * <p>A missing client id or secret, an unreadable secret file, or a plain-http endpoint off
 * loopback fail startup with a message that names the setting, never the secret.
 */
@AutoConfiguration(before = BatonAutoConfiguration.class)
@ConditionalOnClass(TokenExchangeDelegation.class)
@EnableConfigurationProperties(BatonDelegationProperties.class)
public class BatonDelegationAutoConfiguration {

  /** Created by Spring. */
  public BatonDelegationAutoConfiguration() {}

  /**
   * The token exchange the properties describe.
   *
   * @param properties the bound properties
   * @return the exchanger
   * @throws IllegalStateException if the client id or a secret source is missing
   */
  @Bean
  @ConditionalOnMissingBean(TokenExchanger.class)
  @ConditionalOnProperty(prefix = "baton.delegation", name = "token-endpoint")
  public TokenExchangeDelegation batonTokenExchangeDelegation(
      BatonDelegationProperties properties) {
    URI endpoint = properties.getTokenEndpoint();
    String clientId = properties.getClientId();
    if (endpoint == null || clientId == null) {
      throw new IllegalStateException("baton.delegation.client-id is required with"
          + " baton.delegation.token-endpoint");
    }
    TokenExchangeDelegation.Builder builder = TokenExchangeDelegation.builder()
        .tokenEndpoint(endpoint).clientId(clientId)
        .clientAuthentication(properties.getClientAuthentication())
        .audience(properties.getAudiences().toArray(String[]::new))
        .resource(properties.getResources().toArray(URI[]::new))
        .scopes(properties.getScopes().toArray(String[]::new))
        .actorToken(properties.getActorToken())
        .connectTimeout(properties.getConnectTimeout())
        .readTimeout(properties.getReadTimeout())
        .maxLifetime(properties.getMaxLifetime())
        .missingExpiry(properties.getMissingExpiry());
    String variable = properties.getClientSecretEnv();
    if (variable != null && properties.getClientSecretFile() != null) {
      throw new IllegalStateException("set one of baton.delegation.client-secret-env and"
          + " baton.delegation.client-secret-file, not both");
    }
    if (variable != null) {
      builder.clientSecretFromEnvironment(variable);
    } else if (properties.getClientSecretFile() != null) {
      builder.clientSecretFromFile(properties.getClientSecretFile());
    } else {
      throw new IllegalStateException("baton.delegation.client-secret-env or"
          + " baton.delegation.client-secret-file is required with"
          + " baton.delegation.token-endpoint");
    }
    return builder.build();
  }

  /**
   * Sets the application's {@link TokenExchanger} on the Baton builder, first among the
   * customizers (so one of the application's own can still replace it).
   *
   * <p>With {@code baton.delegation.in-process=true}, in-process work exchanges too.
   *
   * @param exchanger the exchanger, if there is one
   * @param properties the bound properties
   * @return the customizer
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  public BatonBuilderCustomizer batonDelegationCustomizer(
      ObjectProvider<TokenExchanger> exchanger, BatonDelegationProperties properties) {
    return builder -> exchanger.ifUnique(e -> builder.delegation(e)
        .delegateInProcess(properties.isInProcess()));
  }
}
