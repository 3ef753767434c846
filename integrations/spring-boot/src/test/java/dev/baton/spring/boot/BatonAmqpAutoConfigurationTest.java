package dev.baton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.amqp.BatonAmqp;
import dev.baton.amqp.CallerHeader;
import dev.baton.amqp.spring.BatonListenerAdvice;
import dev.baton.amqp.spring.BatonMessagePostProcessor;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter with Spring AMQP on the real broker ({@code RABBITMQ_URL}, or guest/guest on
 * 127.0.0.1:5672): {@code @RabbitListener} methods run as the publisher's caller with no Baton code
 * in the application, and the auto-configuration backs off.
 */
class BatonAmqpAutoConfigurationTest {
  private static final AccessToken ALICE =
      AccessToken.builder("eyJ.amqp-starter-token", "amqp-app").subject("alice").build();

  private final String queue = "baton-test.starter." + UUID.randomUUID();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class,
              BatonAutoConfiguration.class, BatonAmqpAutoConfiguration.class))
          .withPropertyValues("spring.rabbitmq.addresses=" + brokerUrl(),
              "test.queue=" + queue);

  private static String brokerUrl() {
    String url = System.getenv("RABBITMQ_URL");
    return url == null || url.isBlank() ? "amqp://guest:guest@127.0.0.1:5672" : url;
  }

  /** The application's listener: records the caller each message ran as. */
  static class OrderListener {
    final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @RabbitListener(queues = "${test.queue}")
    void onOrder(String body) {
      seen.add(body + " as " + Baton.currentToken().map(t -> t.subject()).orElse("nobody"));
    }
  }

  @Test
  void rabbitListener_runsAsThePublishersCaller() {
    runner
        .withBean("orders", Queue.class, () -> new Queue(queue, false, false, false))
        .withBean(OrderListener.class)
        .run(context -> {
          try {
            Baton baton = context.getBean(Baton.class);
            RabbitTemplate template = context.getBean(RabbitTemplate.class);
            OrderListener listener = context.getBean(OrderListener.class);

            try (Scope request = baton.bindRequest(ALICE)) {
              template.convertAndSend("", queue, "order-1");
            }
            template.convertAndSend("", queue, "order-2");

            assertThat(listener.seen.poll(20, TimeUnit.SECONDS)).isEqualTo("order-1 as alice");
            assertThat(listener.seen.poll(20, TimeUnit.SECONDS)).isEqualTo("order-2 as nobody");
          } finally {
            context.getBean(AmqpAdmin.class).deleteQueue(queue);
          }
        });
  }

  @Test
  void refusedMessage_neverReachesTheListener() {
    runner
        .withBean("orders", Queue.class, () -> new Queue(queue, false, false, false))
        .withBean(OrderListener.class)
        .run(context -> {
          try {
            RabbitTemplate raw = new RabbitTemplate(
                context.getBean(org.springframework.amqp.rabbit.connection.ConnectionFactory.class));
            OrderListener listener = context.getBean(OrderListener.class);

            raw.convertAndSend("", queue, "forged", message -> {
              message.getMessageProperties().setHeader(CallerHeader.TASK_KEY, "forged");
              return message;
            });
            context.getBean(RabbitTemplate.class).convertAndSend("", queue, "after");

            assertThat(listener.seen.poll(20, TimeUnit.SECONDS)).isEqualTo("after as nobody");
            assertThat(listener.seen).isEmpty();
          } finally {
            context.getBean(AmqpAdmin.class).deleteQueue(queue);
          }
        });
  }

  @Test
  void listenerContainerFactory_hasBatonsAdviceFirst_andTheTemplateItsPostProcessor() {
    runner.run(context -> {
      SimpleRabbitListenerContainerFactory factory =
          context.getBean(SimpleRabbitListenerContainerFactory.class);

      assertThat(factory.getAdviceChain())
          .containsExactly(context.getBean(BatonListenerAdvice.class));
      assertThat(context.getBean(RabbitTemplate.class).getBeforePublishPostProcessors())
          .containsExactly(context.getBean(BatonMessagePostProcessor.class));
    });
  }

  @Test
  void applicationsOwnAdvice_isUsedInsteadOfBatons() {
    runner
        .withBean("myAdvice", BatonListenerAdvice.class,
            () -> new BatonListenerAdvice(BatonAmqp.builder(Baton.builder()
                .store(dev.baton.store.TokenSnapshotStores.open(java.net.URI.create("memory:mine"))).build())
                .requireCallerHeader(true).build()))
        .run(context -> {
          assertThat(context).getBeans(BatonListenerAdvice.class).containsOnlyKeys("myAdvice");
          assertThat(context.getBean(SimpleRabbitListenerContainerFactory.class).getAdviceChain())
              .containsExactly(context.getBean("myAdvice", BatonListenerAdvice.class));
        });
  }

  @Test
  void withoutBatonAmqpOnTheClassPath_backsOff() {
    runner.withClassLoader(new FilteredClassLoader(BatonAmqp.class)).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(BatonListenerAdvice.class);
      assertThat(context).hasSingleBean(Baton.class);
    });
  }

  @Test
  void applicationsOwnBatonAmqp_isWhatTheAdviceRestoresWith() {
    runner
        .withBean("myAmqp", BatonAmqp.class, () -> BatonAmqp.builder(Baton.builder()
            .store(dev.baton.store.TokenSnapshotStores.open(java.net.URI.create("memory:mine")))
            .build()).deadLetterExchange("orders.dlx").build())
        .run(context -> {
          assertThat(context).getBeans(BatonAmqp.class).containsOnlyKeys("myAmqp");
          assertThat(context.getBean(BatonListenerAdvice.class).amqp().deadLetterExchange())
              .hasValue("orders.dlx");
        });
  }
}
