package dev.baton.amqp;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreMode;
import dev.baton.amqp.spring.BatonListenerAdvice;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.redis.RedisTokenSnapshotStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * A consumer process for {@link ConsumerProcessesTest}: a Spring AMQP listener container with
 * {@link BatonListenerAdvice} over a sealed Redis store, whose listener reports, for each message,
 * the caller it ran as to a results queue &mdash; never the token.
 *
 * <p>Arguments: {@code redisUri workQueue deadLetterExchange resultsQueue workerName restoreMode}; the sealing
 * key ring in {@value #SEALING_KEYS_ENV}, the broker in {@code RABBITMQ_URL} (or the default).
 * Prints {@code READY} once consuming; on a {@code stop} line (or end of input) stops and prints
 * {@code STOPPED bound=N}, N being the deliveries after which the container's thread was still
 * bound (or that began bound).
 */
public final class ConsumerWorkerMain {
  /** The environment variable holding the sealing key ring. */
  public static final String SEALING_KEYS_ENV = "BATON_TEST_SEALING_KEYS";

  private ConsumerWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String redisUri = args[0];
    String workQueue = args[1];
    String deadLetterExchange = args[2];
    String resultsQueue = args[3];
    String worker = args[4];
    RestoreMode mode = RestoreMode.valueOf(args[5]);
    AtomicInteger bound = new AtomicInteger();
    try (RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(redisUri)
        .sealingKeys(SealingKeyRing.fromEnvironment(SEALING_KEYS_ENV)).build()) {
      Baton baton = Baton.builder().store(store).restoreMode(mode).build();
      CachingConnectionFactory connections = new CachingConnectionFactory(
          Broker.connectionFactory());
      RabbitTemplate results = new RabbitTemplate(connections);
      SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
      container.setQueueNames(workQueue);
      container.setConcurrentConsumers(3);
      container.setPrefetchCount(10);
      container.setAcknowledgeMode(AcknowledgeMode.AUTO);
      MethodInterceptor checksTheThread = invocation -> {
        if (Baton.isBound()) {
          bound.incrementAndGet();
        }
        try {
          return invocation.proceed();
        } finally {
          if (Baton.isBound()) {
            bound.incrementAndGet();
          }
        }
      };
      container.setAdviceChain(checksTheThread, new BatonListenerAdvice(
          BatonAmqp.builder(baton).deadLetterExchange(deadLetterExchange).build()));
      container.setMessageListener(message -> {
        String id = new String(message.getBody(), StandardCharsets.UTF_8).split("\\|")[0];
        String seen = Baton.currentToken().map(AccessToken::clientId).orElse("none");
        // A little work, so that a kill finds deliveries in flight.
        try {
          Thread.sleep(15);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        results.send("", resultsQueue, MessageBuilder.withBody(
            (id + "|" + seen + "|" + worker + "|"
                + message.getMessageProperties().isRedelivered()).getBytes(StandardCharsets.UTF_8)).build());
      });
      container.afterPropertiesSet();
      container.start();
      System.out.println("READY");
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.equals("stop")) {
        // wait for the test
      }
      container.stop();
      container.destroy();
      connections.destroy();
    }
    System.out.println("STOPPED bound=" + bound.get());
    System.out.flush();
    System.exit(0);
  }
}
