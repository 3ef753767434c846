package dev.baton.amqp.spring;

import com.rabbitmq.client.Channel;
import dev.baton.CallerBinding;
import dev.baton.Scope;
import dev.baton.amqp.BatonAmqp;
import dev.baton.amqp.CallerHeader;
import dev.baton.amqp.MessageRefusedException;
import dev.baton.amqp.MessageScope;
import dev.baton.amqp.RefusalReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;

/**
 * Advice for a Spring AMQP listener container's advice chain: each message's listener
 * ({@code @RabbitListener} methods included) runs as the caller who published it, and a message
 * whose caller cannot be restored is refused before the listener runs.
 *
 * <pre>{@code
 * factory.setAdviceChain(new BatonListenerAdvice(BatonAmqp.of(baton)));  // first in the chain
 * }</pre>
 *
 * <p>Put it first in the chain, outside any retry interceptor: the caller is then restored once for
 * all attempts, and a refused message is not retried.
 *
 * <p><b>Refusal.</b> See {@link BatonAmqp}. With a
 * {@link BatonAmqp.Builder#deadLetterExchange dead-letter exchange}, the message is republished
 * there on the delivery's own channel with a {@value CallerHeader#REFUSAL} header and the advice
 * returns without calling the listener, so the container acknowledges the original: this needs
 * the container's default {@code AcknowledgeMode.AUTO} (with {@code MANUAL}, nothing would
 * acknowledge it; leave the dead-letter exchange unset there). Without one, the advice throws an
 * {@link AmqpRejectAndDontRequeueException} (rejecting in {@code MANUAL} mode too), and the broker
 * dead-letters the message through the queue's {@code x-dead-letter-exchange}, if it has one.
 * Spring's {@code RepublishMessageRecoverer} is not used: it copies the exception's message and
 * whole stack trace into headers, and its template would run the publishing side's
 * post-processors, replacing the message's key.
 *
 * <p><b>Batches.</b> A batch listener receives many messages in one call, which cannot act as
 * several callers: a batch with no caller header runs with no caller; a batch where any message
 * has one is refused as a whole ({@link RefusalReason#BATCH}).
 *
 * <p>Thread-safe; one instance serves every container.
 */
public final class BatonListenerAdvice implements MethodInterceptor {
  private final BatonAmqp amqp;
  private final DefaultMessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

  /**
   * An advice restoring through {@code amqp}.
   *
   * @throws NullPointerException if {@code amqp} is null
   */
  public BatonListenerAdvice(BatonAmqp amqp) {
    this.amqp = Objects.requireNonNull(amqp, "amqp");
  }

  /** The configuration this advice restores with. */
  public BatonAmqp amqp() {
    return amqp;
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    // The container's advice chain wraps invokeListener(Channel channel, Object data).
    Object[] arguments = invocation.getArguments();
    Object data = arguments.length == 2 ? arguments[1] : null;
    Channel channel = arguments.length == 2 && arguments[0] instanceof Channel c ? c : null;
    if (data instanceof Message message) {
      return invokeOne(invocation, channel, message);
    }
    if (data instanceof List<?> batch) {
      return invokeBatch(invocation, batch);
    }
    // Not a listener call: run it as nobody rather than as whatever the thread held.
    try (Scope none = CallerBinding.none().install()) {
      return invocation.proceed();
    }
  }

  private @Nullable Object invokeOne(MethodInvocation invocation, @Nullable Channel channel,
      Message message) throws Throwable {
    MessageProperties properties = message.getMessageProperties();
    MessageScope scope;
    try {
      scope = amqp.enter(properties.getHeaders().get(CallerHeader.TASK_KEY));
    } catch (MessageRefusedException refusal) {
      if (channel != null && republish(channel, message, refusal)) {
        return null; // the container acknowledges the original
      }
      throw reject(where(properties), refusal);
    }
    try (scope) {
      Object result = invocation.proceed();
      scope.markSucceeded();
      return result;
    }
  }

  private @Nullable Object invokeBatch(MethodInvocation invocation, List<?> batch)
      throws Throwable {
    for (Object element : batch) {
      if (element instanceof Message message
          && message.getMessageProperties().getHeaders().get(CallerHeader.TASK_KEY) != null) {
        throw reject("a batch of " + batch.size() + " messages", new MessageRefusedException(
            RefusalReason.BATCH, "a batch listener cannot run as each message's caller", null));
      }
    }
    try (Scope none = CallerBinding.none().install()) {
      return invocation.proceed();
    }
  }

  private boolean republish(Channel channel, Message message, MessageRefusedException refusal) {
    MessageProperties properties = message.getMessageProperties();
    if (amqp.deadLetterExchange().isEmpty()) {
      return false;
    }
    // Logged first: once the copy is on the dead-letter exchange, someone may already be reading it.
    BatonAmqp.logRefusal(where(properties), refusal, true);
    boolean republished;
    try {
      republished = amqp.deadLetter(channel, String.valueOf(properties.getReceivedExchange()),
          String.valueOf(properties.getReceivedRoutingKey()),
          converter.fromMessageProperties(properties, StandardCharsets.UTF_8.name()),
          message.getBody(), refusal.reason());
    } catch (IOException e) {
      throw new UncheckedIOException("could not republish a refused message", e);
    }
    return republished;
  }

  private static AmqpRejectAndDontRequeueException reject(
      String where, MessageRefusedException refusal) {
    BatonAmqp.logRefusal(where, refusal, false);
    return new AmqpRejectAndDontRequeueException(refusal.getMessage(), true, refusal);
  }

  private static String where(MessageProperties properties) {
    return "queue " + properties.getConsumerQueue() + " (delivery tag "
        + properties.getDeliveryTag() + ")";
  }

  @Override
  public String toString() {
    return "BatonListenerAdvice";
  }
}
