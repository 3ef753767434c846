package dev.baton.benchmarks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.amqp.BatonAmqp;
import dev.baton.amqp.spring.BatonListenerAdvice;
import dev.baton.amqp.spring.BatonMessagePostProcessor;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import dev.baton.store.redis.RedisTokenSnapshotStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * One message published with Spring AMQP's {@code RabbitTemplate} and consumed by a
 * {@code SimpleMessageListenerContainer} on the real broker, end to end (publish, broker, listener,
 * the publisher waits for the listener): plain Spring AMQP ({@link #springAmqp}) beside the same
 * with Baton's post-processor and listener advice ({@link #springAmqpWithBaton}), whose listener
 * checks it ran as the publisher's caller. The difference is Baton's overhead per message: a
 * capture (store save), a header, a restore (load) and a delete.
 *
 * <p>{@code store=memory} measures Baton's own work; {@code store=redis} adds the three Redis round
 * trips of a cross-process deployment (sealed, on the {@code redis-server} whose URI is in
 * {@value RedisBenchmark#URI_PROPERTY}). The broker is {@value #BROKER_PROPERTY}, else
 * {@code RABBITMQ_URL}, else guest/guest on 127.0.0.1:5672.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class AmqpBenchmark {
  /** The system property holding the broker's URI. */
  static final String BROKER_PROPERTY = "baton.bench.rabbitmq";

  @Param({"memory", "redis"})
  public String store = "memory";

  private final AccessToken caller = Fixtures.token(Instant.now().plus(Duration.ofDays(1)));
  private final BlockingQueue<Object> handled = new ArrayBlockingQueue<>(1);
  private final byte[] body = new byte[128];
  private final String plainQueue = "baton-bench.plain." + UUID.randomUUID();
  private final String batonQueue = "baton-bench.baton." + UUID.randomUUID();
  /**
   * Spring AMQP logs every connection and container stop at INFO, on stderr; WARNING and above still
   * show. Held: JUL keeps loggers weakly, and a collected one forgets its level.
   */
  private final Logger springLogger = Logger.getLogger("org.springframework");
  private @Nullable TokenSnapshotStore snapshots;
  private @Nullable Baton baton;
  private @Nullable CachingConnectionFactory connections;
  private @Nullable RabbitTemplate plain;
  private @Nullable RabbitTemplate withBaton;
  private @Nullable SimpleMessageListenerContainer plainContainer;
  private @Nullable SimpleMessageListenerContainer batonContainer;

  static String brokerUri() {
    String uri = System.getProperty(BROKER_PROPERTY);
    if (uri == null || uri.isBlank()) {
      uri = System.getenv("RABBITMQ_URL");
    }
    return uri == null || uri.isBlank() ? "amqp://guest:guest@127.0.0.1:5672" : uri;
  }

  @Setup(Level.Trial)
  public void open() throws Exception {
    springLogger.setLevel(java.util.logging.Level.WARNING);
    TokenSnapshotStore s = store.equals("redis")
        ? RedisTokenSnapshotStore.builder().uri(RedisBenchmark.redisUri())
            .sealingKeys(Fixtures.keyRing()).commandTimeout(Duration.ofSeconds(10)).build()
        : MemoryTokenSnapshotStore.create();
    snapshots = s;
    Baton b = Baton.builder().store(s).build();
    baton = b;
    com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
    factory.setUri(URI.create(brokerUri()));
    factory.setAutomaticRecoveryEnabled(false); // Spring's connection factory recovers
    try (Connection connection = factory.newConnection(); Channel channel =
        connection.createChannel()) {
      // Auto-delete: gone with their consumers even if a failed trial never reaches close().
      channel.queueDeclare(plainQueue, false, false, true, Map.of());
      channel.queueDeclare(batonQueue, false, false, true, Map.of());
    }
    CachingConnectionFactory c = new CachingConnectionFactory(factory);
    connections = c;
    plain = new RabbitTemplate(c);
    RabbitTemplate t = new RabbitTemplate(c);
    t.addBeforePublishPostProcessors(new BatonMessagePostProcessor(b));
    withBaton = t;
    SimpleMessageListenerContainer pc =
        container(c, plainQueue, message -> handled.add(message), new Advice[0]);
    plainContainer = pc;
    SimpleMessageListenerContainer bc = container(c, batonQueue, message -> handled.add(
        Baton.currentToken().map(AccessToken::token).filter(caller.token()::equals).isPresent()
            ? message : "wrong caller"), new BatonListenerAdvice(BatonAmqp.of(b)));
    batonContainer = bc;
    pc.start();
    bc.start();
  }

  private static SimpleMessageListenerContainer container(CachingConnectionFactory connections,
      String queue, MessageListener listener, Advice... advice) {
    SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
    container.setQueueNames(queue);
    container.setMessageListener(listener);
    container.setAdviceChain(advice);
    container.afterPropertiesSet();
    return container;
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    if (plainContainer != null) {
      plainContainer.stop();
    }
    if (batonContainer != null) {
      batonContainer.stop();
    }
    if (connections != null) {
      com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
      factory.setUri(URI.create(brokerUri()));
      try (Connection connection = factory.newConnection(); Channel channel =
          connection.createChannel()) {
        channel.queueDelete(plainQueue);
        channel.queueDelete(batonQueue);
      }
      connections.destroy();
    }
    if (snapshots != null) {
      snapshots.close();
    }
  }

  private Object awaitHandled() throws InterruptedException {
    Object result = handled.poll(10, TimeUnit.SECONDS);
    if (result == null || result instanceof String) {
      throw new IllegalStateException("the listener did not run as the caller: " + result);
    }
    return result;
  }

  /** Plain Spring AMQP: publish, and wait until the listener has run. */
  @Benchmark
  public Object springAmqp() throws InterruptedException {
    Objects.requireNonNull(plain).send("", plainQueue,
        new org.springframework.amqp.core.Message(body));
    return awaitHandled();
  }

  /** The same with Baton: the publisher's caller captured, restored around the listener. */
  @Benchmark
  public Object springAmqpWithBaton() throws InterruptedException {
    try (dev.baton.Scope request = Objects.requireNonNull(baton).bindRequest(caller)) {
      Objects.requireNonNull(withBaton).send("", batonQueue,
          new org.springframework.amqp.core.Message(body));
    }
    return awaitHandled();
  }
}
