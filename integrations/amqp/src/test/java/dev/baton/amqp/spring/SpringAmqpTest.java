package dev.baton.amqp.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.GetResponse;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.CleanupPolicy;
import dev.baton.Scope;
import dev.baton.TaskContext;
import dev.baton.amqp.BatonAmqp;
import dev.baton.amqp.Broker;
import dev.baton.amqp.CallerHeader;
import dev.baton.amqp.Callers;
import dev.baton.store.memory.MemoryTokenSnapshotStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BatchMessageListener;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Spring AMQP against the real broker: a {@link RabbitTemplate} with
 * {@link BatonMessagePostProcessor} publishes, a {@link SimpleMessageListenerContainer} with
 * {@link BatonListenerAdvice} first in its advice chain consumes.
 */
class SpringAmqpTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Broker broker;
  private static CachingConnectionFactory connectionFactory;

  private final AccessToken alice = caller("alice");
  private final AccessToken bob = caller("bob");
  private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
  private final BlockingQueue<Boolean> boundAfter = new LinkedBlockingQueue<>();
  private MemoryTokenSnapshotStore store;
  private Baton baton;
  private Broker.Queues queues;
  private RabbitTemplate template;
  private @Nullable SimpleMessageListenerContainer container;

  @BeforeAll
  static void connect() {
    broker = Broker.connect();
    connectionFactory = new CachingConnectionFactory(Broker.connectionFactory());
  }

  @AfterAll
  static void disconnect() throws IOException {
    connectionFactory.destroy();
    broker.close();
  }

  @BeforeEach
  void setUp() throws IOException {
    store = MemoryTokenSnapshotStore.create();
    baton = Baton.builder().store(store).cleanupPolicy(CleanupPolicy.DELETE_ON_SUCCESS).build();
    queues = broker.queuesWithDeadLetters("spring");
    template = new RabbitTemplate(connectionFactory);
    template.setBeforePublishPostProcessors(new BatonMessagePostProcessor(baton));
  }

  @AfterEach
  void tearDown() {
    if (container != null) {
      container.stop();
    }
    store.close();
  }

  static AccessToken caller(String name) {
    return new AccessToken("bearer-" + name + "-" + UUID.randomUUID(), "client-" + name,
        List.of("read"), null, null, Map.of("sub", "user-" + name));
  }

  /** Records the caller each message's listener saw, by the caller's client id or "none". */
  private void listen(BatonAmqp amqp, MessageListener listener, AcknowledgeMode mode) {
    SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connectionFactory);
    c.setQueueNames(queues.work());
    c.setAcknowledgeMode(mode);
    MethodInterceptor checksTheThread = invocation -> {
      try {
        return invocation.proceed();
      } finally {
        boundAfter.add(Baton.isBound());
      }
    };
    c.setAdviceChain(checksTheThread, new BatonListenerAdvice(amqp));
    c.setMessageListener(listener);
    c.afterPropertiesSet();
    c.start();
    container = c;
  }

  private MessageListener recording() {
    return message -> seen.add(callerSeen());
  }

  private static String callerSeen() {
    return Baton.currentToken().map(AccessToken::clientId).orElse("none");
  }

  private void sendAs(@Nullable AccessToken caller, String body) {
    try (Scope request = baton.bindRequest(caller)) {
      template.convertAndSend("", queues.work(), body);
    }
  }

  /** Sends with no post-processor: the headers are exactly what an outsider chose. */
  private void sendRaw(Map<String, Object> headers) {
    RabbitTemplate raw = new RabbitTemplate(connectionFactory);
    MessageBuilder builder = MessageBuilder.withBody("raw".getBytes(StandardCharsets.UTF_8));
    headers.forEach(builder::setHeader);
    raw.send("", queues.work(), builder.build());
  }

  private @Nullable String next() throws InterruptedException {
    return seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private GetResponse deadLetter() throws IOException, InterruptedException {
    GetResponse response = broker.next(queues.deadLetters(), WAIT);
    assertThat(response).as("a dead-lettered message").isNotNull();
    return response;
  }

  @Test
  void templateAndAdvice_twoInterleavedCallers_eachListenerRunsAsItsPublisher() throws Exception {
    BatonAmqp amqp = BatonAmqp.of(baton);
    listen(amqp, message -> seen.add(callerSeen() + "=" + new String(message.getBody(),
        StandardCharsets.UTF_8)), AcknowledgeMode.AUTO);
    for (int i = 0; i < 10; i++) {
      sendAs(i % 2 == 0 ? alice : bob, i % 2 == 0 ? "client-alice" : "client-bob");
    }

    for (int i = 0; i < 10; i++) {
      String line = next();
      assertThat(line).isNotNull();
      String[] parts = line.split("=");
      assertThat(parts[0]).as("wrong identity").isEqualTo(parts[1]);
      assertThat(boundAfter.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
    }
  }

  @Test
  void templateWithoutCaller_listenerRunsWithNoTokenInATaskContext() throws Exception {
    listen(BatonAmqp.of(baton),
        message -> seen.add(callerSeen() + "," + TaskContext.current().isPresent()),
        AcknowledgeMode.AUTO);

    sendAs(null, "anonymous");

    assertThat(next()).isEqualTo("none,true");
  }

  @Test
  void refusedMessage_isRejectedWithoutRequeue_toTheQueuesDeadLetterExchange() throws Exception {
    listen(BatonAmqp.of(baton), recording(), AcknowledgeMode.AUTO);

    sendRaw(Map.of(CallerHeader.TASK_KEY, "forged"));

    GetResponse dead = deadLetter();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> xDeath =
        (List<Map<String, Object>>) dead.getProps().getHeaders().get("x-death");
    assertThat(xDeath.get(0).get("reason").toString()).isEqualTo("rejected");
    assertThat(seen).isEmpty();
    assertThat(broker.count(queues.work())).as("never requeued").isZero();
  }

  @Test
  void garbageHeader_isNotLoggedInFull_byBatonOrSpring() throws Exception {
    listen(BatonAmqp.of(baton), recording(), AcknowledgeMode.AUTO);
    String garbage = "garbage-header-" + "g".repeat(300);
    try (Callers.Logs logs = new Callers.Logs()) {
      sendRaw(Map.of(CallerHeader.TASK_KEY, garbage));

      deadLetter();

      assertThat(logs.text()).contains("MALFORMED_KEY").doesNotContain("g".repeat(20));
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void refusedMessage_inManualAckMode_isRejectedToo() throws Exception {
    AtomicInteger acked = new AtomicInteger();
    ChannelAwareMessageListener listener = (message, channel) -> {
      String caller = callerSeen();
      channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
      acked.incrementAndGet();
      seen.add(caller); // last: the test reads the ack count once it has seen the message
    };
    listen(BatonAmqp.of(baton), listener, AcknowledgeMode.MANUAL);

    sendRaw(Map.of(CallerHeader.TASK_KEY, TaskKeys.forgedFor(alice)));
    sendAs(bob, "after");

    assertThat(deadLetter().getProps().getHeaders()).containsKey("x-death");
    assertThat(next()).isEqualTo("client-bob");
    assertThat(acked).hasValue(1);
  }

  @Test
  void refusedMessage_withADeadLetterExchange_isRepublishedWithItsReasonAndAcknowledged()
      throws Exception {
    listen(BatonAmqp.builder(baton).deadLetterExchange(queues.deadLetterExchange()).build(),
        recording(), AcknowledgeMode.AUTO);

    sendRaw(Map.of(CallerHeader.TASK_KEY, TaskKeys.forgedFor(alice)));

    GetResponse dead = deadLetter();
    assertThat(dead.getProps().getHeaders().get(CallerHeader.REFUSAL).toString())
        .isEqualTo("MISSING");
    assertThat(dead.getProps().getHeaders()).doesNotContainKey("x-death");
    assertThat(seen).isEmpty();
    sendAs(alice, "after");
    assertThat(next()).isEqualTo("client-alice");
    assertThat(broker.count(queues.work())).as("the refused one was acknowledged").isZero();
  }

  @Test
  void listenerThatThrows_isRequeued_andRunsAgainAsItsCaller_underLoadAndDeleteOnSuccess()
      throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    listen(BatonAmqp.of(baton), message -> {
      seen.add(callerSeen());
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("first attempt fails");
      }
    }, AcknowledgeMode.AUTO);

    sendAs(alice, "retried");

    assertThat(next()).isEqualTo("client-alice");
    assertThat(next()).isEqualTo("client-alice");
    assertThat(boundAfter.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
    assertThat(boundAfter.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
    assertThat(store.estimatedSize()).as("deleted once the second attempt succeeded").isZero();
  }

  @Test
  void batchListener_withACallerHeaderInTheBatch_isRefusedAsAWhole() throws Exception {
    SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connectionFactory);
    c.setQueueNames(queues.work());
    c.setConsumerBatchEnabled(true);
    c.setBatchSize(2);
    c.setAdviceChain(new BatonListenerAdvice(BatonAmqp.of(baton)));
    c.setMessageListener((BatchMessageListener) batch -> seen.add(batch.size() + ":" + callerSeen()));
    sendAs(alice, "one");
    sendAs(bob, "two");
    c.afterPropertiesSet();
    c.start();
    container = c;

    deadLetter();
    deadLetter();
    assertThat(seen).isEmpty();
  }

  @Test
  void batchListener_withoutCallerHeaders_runsWithNoCaller() throws Exception {
    SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(connectionFactory);
    c.setQueueNames(queues.work());
    c.setConsumerBatchEnabled(true);
    c.setBatchSize(2);
    c.setAdviceChain(new BatonListenerAdvice(BatonAmqp.of(baton)));
    c.setMessageListener((BatchMessageListener) batch -> seen.add(batch.size() + ":" + callerSeen()));
    sendRaw(Map.of());
    sendRaw(Map.of());
    c.afterPropertiesSet();
    c.start();
    container = c;

    assertThat(next()).endsWith(":none");
  }

  @Test
  void postProcessor_replacesACopiedHeader_withThePublishersOwnKey() throws Exception {
    listen(BatonAmqp.of(baton), recording(), AcknowledgeMode.AUTO);
    String alicesKey;
    try (Scope request = baton.bindRequest(alice)) {
      alicesKey = baton.capture().encoded();
    }
    Message copied = MessageBuilder.withBody(new byte[0])
        .setHeader(CallerHeader.TASK_KEY, alicesKey).build();

    try (Scope request = baton.bindRequest(bob)) {
      template.send("", queues.work(), copied);
    }

    assertThat(next()).isEqualTo("client-bob");
  }

  /** Keys an outsider could write. */
  static final class TaskKeys {
    private TaskKeys() {}

    /** A well-formed key in the caller's (public) scope with an id nobody captured. */
    static String forgedFor(AccessToken caller) {
      return dev.baton.TaskKey.random(caller).encoded();
    }
  }
}
