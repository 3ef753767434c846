package dev.baton.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Objects;

/**
 * A {@link Consumer} whose deliveries run as the caller who published them; see
 * {@link BatonAmqp#wrap}.
 */
final class BatonConsumer implements Consumer {
  private final BatonAmqp amqp;
  private final Channel channel;
  private final Consumer delegate;

  BatonConsumer(BatonAmqp amqp, Channel channel, Consumer delegate) {
    this.amqp = amqp;
    this.channel = Objects.requireNonNull(channel, "channel");
    this.delegate = Objects.requireNonNull(delegate, "consumer");
  }

  @Override
  public void handleDelivery(String consumerTag, Envelope envelope,
      AMQP.BasicProperties properties, byte[] body) throws IOException {
    MessageScope scope;
    try {
      scope = amqp.enter(CallerHeader.get(properties.getHeaders(), CallerHeader.TASK_KEY));
    } catch (MessageRefusedException refusal) {
      refuse(consumerTag, envelope, properties, body, refusal);
      return;
    }
    try (scope) {
      delegate.handleDelivery(consumerTag, envelope, properties, body);
      scope.markSucceeded();
    }
  }

  private void refuse(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
      byte[] body, MessageRefusedException refusal) throws IOException {
    // Logged first: once the copy is on the dead-letter exchange, someone may already be reading it.
    BatonAmqp.logRefusal("consumer " + consumerTag + " (delivery tag "
        + envelope.getDeliveryTag() + ")", refusal, amqp.deadLetterExchange().isPresent());
    boolean republished = amqp.deadLetter(channel, envelope.getExchange(),
        envelope.getRoutingKey(), properties, body, refusal.reason());
    if (republished) {
      channel.basicAck(envelope.getDeliveryTag(), false);
    } else {
      channel.basicReject(envelope.getDeliveryTag(), false);
    }
  }

  @Override
  public void handleConsumeOk(String consumerTag) {
    delegate.handleConsumeOk(consumerTag);
  }

  @Override
  public void handleCancelOk(String consumerTag) {
    delegate.handleCancelOk(consumerTag);
  }

  @Override
  public void handleCancel(String consumerTag) throws IOException {
    delegate.handleCancel(consumerTag);
  }

  @Override
  public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
    delegate.handleShutdownSignal(consumerTag, sig);
  }

  @Override
  public void handleRecoverOk(String consumerTag) {
    delegate.handleRecoverOk(consumerTag);
  }

  @Override
  public String toString() {
    return "BatonConsumer[" + delegate + "]";
  }
}
