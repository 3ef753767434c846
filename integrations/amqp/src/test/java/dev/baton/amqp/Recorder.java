package dev.baton.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.TaskContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A consumer wrapped by {@link BatonAmqp#wrap} on a channel of its own, recording what each delivery
 * saw: its body, the caller ({@link Baton#currentToken()}), whether a task context was installed,
 * and whether the thread was bound once the wrapper returned.
 */
final class Recorder implements AutoCloseable {
  /** What one delivery's listener saw; {@code caller} is the client id, or "none". */
  record Seen(String body, String caller, boolean taskContext, boolean redelivered) {}

  final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  /** Whether the thread was bound once each delivery's wrapper returned (its scope closed). */
  final BlockingQueue<Boolean> boundAfterDelivery = new LinkedBlockingQueue<>();
  final Channel channel;
  private final Connection connection;
  private final CountDownLatch release = new CountDownLatch(1);

  /**
   * Starts consuming {@code queue} on a connection of its own. When {@code ack}, the listener
   * acknowledges each delivery; otherwise it records the delivery and then hangs until
   * {@link #close()} without acknowledging, as a consumer that dies in the middle of its work (its
   * message's scope is still open): {@link #kill()} then drops its connection, as the death of its
   * process would, and the broker redelivers.
   */
  Recorder(Broker broker, BatonAmqp amqp, String queue, boolean ack) throws IOException {
    try {
      connection = Broker.connectionFactory().newConnection("baton-amqp-test-consumer");
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
    channel = connection.createChannel();
    channel.basicQos(1);
    Consumer listener = new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
          byte[] body) throws IOException {
        seen.add(new Seen(new String(body, StandardCharsets.UTF_8),
            Baton.currentToken().map(AccessToken::clientId).orElse("none"),
            TaskContext.current().isPresent(), envelope.isRedeliver()));
        if (ack) {
          channel.basicAck(envelope.getDeliveryTag(), false);
        } else {
          awaitRelease();
        }
      }
    };
    Consumer wrapped = amqp.wrap(channel, listener);
    channel.basicConsume(queue, false, new DefaultConsumer(channel) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
          byte[] body) throws IOException {
        wrapped.handleDelivery(tag, envelope, properties, body);
        boundAfterDelivery.add(Baton.isBound());
      }
    });
  }

  /** The next delivery seen, waiting up to {@code timeout}; null if none. */
  @Nullable Seen next(Duration timeout) throws InterruptedException {
    return seen.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the thread was bound after the next delivery completed, waiting up to {@code timeout}. */
  @Nullable Boolean boundAfterNext(Duration timeout) throws InterruptedException {
    return boundAfterDelivery.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void awaitRelease() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Drops the connection at once, with no acknowledgement: the broker requeues what it held. */
  void kill() {
    connection.abort();
  }

  @Override
  public void close() {
    connection.abort();
    release.countDown();
  }
}
