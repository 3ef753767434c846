package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.amqp.BatonAmqp;
import dev.baton.amqp.spring.BatonListenerAdvice;
import dev.baton.amqp.spring.BatonMessagePostProcessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.config.BaseRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Messages carry their caller on Spring AMQP, when the application has {@code baton-amqp} and
 * Spring Boot's RabbitMQ support: every auto-configured {@link RabbitTemplate} captures the
 * publishing thread's caller ({@link BatonMessagePostProcessor}), and every listener container
 * factory ({@code @RabbitListener} methods included) gets {@link BatonListenerAdvice} first in its
 * advice chain, so listeners run as the publisher's caller and a message whose caller cannot be
 * restored is refused.
 *
 * <p>Refused messages are rejected without requeue (see {@link BatonAmqp}); to republish them to a
 * dead-letter exchange with the reason, or to refuse messages without a caller header, define a
 * {@link BatonAmqp} bean. To switch this off, exclude it ({@code spring.autoconfigure.exclude}).
 * (No {@code baton.amqp.*} properties yet: the starter binds {@code baton.*} strictly, in
 * {@link BatonProperties}.)
 *
 * <p>Backs off bean by bean: a {@link BatonAmqp}, {@link BatonMessagePostProcessor} or
 * {@link BatonListenerAdvice} of the application's own is used instead of the one made here, and a
 * factory whose chain already holds a {@code BatonListenerAdvice} is left as it is. Listener
 * containers the application defines as beans itself are not touched: add the advice there.
 */
@AutoConfiguration(
    after = BatonAutoConfiguration.class,
    afterName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass({BatonAmqp.class, RabbitTemplate.class, RabbitTemplateCustomizer.class})
@ConditionalOnBean(Baton.class)
public class BatonAmqpAutoConfiguration {

  /** Created by Spring. */
  public BatonAmqpAutoConfiguration() {}

  /**
   * Baton for RabbitMQ over the application's Baton, with the defaults.
   *
   * @param baton the Baton (it needs a store: the default {@code baton.store} has one)
   * @return the configuration both sides share
   */
  @Bean
  @ConditionalOnMissingBean
  public BatonAmqp batonAmqp(Baton baton) {
    return BatonAmqp.of(baton);
  }

  /**
   * Captures the publishing thread's caller before a template publishes.
   *
   * @param amqp the configuration
   * @return the post-processor
   */
  @Bean
  @ConditionalOnMissingBean
  public BatonMessagePostProcessor batonMessagePostProcessor(BatonAmqp amqp) {
    return new BatonMessagePostProcessor(amqp.baton());
  }

  /**
   * Restores the publisher's caller around each listener.
   *
   * @param amqp the configuration
   * @return the advice
   */
  @Bean
  @ConditionalOnMissingBean
  public BatonListenerAdvice batonListenerAdvice(BatonAmqp amqp) {
    return new BatonListenerAdvice(amqp);
  }

  /**
   * Adds the post-processor to the auto-configured {@link RabbitTemplate}.
   *
   * @param postProcessor the post-processor
   * @return the customizer
   */
  @Bean
  public RabbitTemplateCustomizer batonRabbitTemplateCustomizer(
      ObjectProvider<BatonMessagePostProcessor> postProcessor) {
    return template -> postProcessor.ifAvailable(template::addBeforePublishPostProcessors);
  }

  /**
   * Puts the advice first in every listener container factory's chain (outside a retry
   * interceptor, so the caller is restored once for all attempts and a refusal is not retried).
   *
   * @param advice the advice, looked up when the first factory is created
   * @return the post-processor
   */
  @Bean
  public static BeanPostProcessor batonListenerContainerFactoryPostProcessor(
      ObjectProvider<BatonListenerAdvice> advice) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof BaseRabbitListenerContainerFactory<?> factory) {
          advice.ifAvailable(baton -> factory.setAdviceChain(withFirst(baton,
              factory.getAdviceChain())));
        }
        return bean;
      }
    };
  }

  private static Advice[] withFirst(BatonListenerAdvice baton, Advice @Nullable [] chain) {
    List<Advice> advices = new ArrayList<>();
    if (chain != null) {
      if (Arrays.stream(chain).anyMatch(BatonListenerAdvice.class::isInstance)) {
        return chain;
      }
      advices.addAll(Arrays.asList(chain));
    }
    advices.add(0, baton);
    return advices.toArray(new Advice[0]);
  }
}
