package dev.baton.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The real RabbitMQ the tests run against: {@code RABBITMQ_URL} when set, otherwise
 * {@code amqp://guest:guest@127.0.0.1:5672}. A broker that does not answer fails the test loudly
 * (never a skip). Every queue and exchange a test declares has a unique name and is deleted by
 * {@link #close()}.
 */
public final class Broker implements AutoCloseable {
  /** The broker used when {@code RABBITMQ_URL} is not set. */
  public static final String DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672";

  private final Connection connection;
  private final List<String> queues = new ArrayList<>();
  private final List<String> exchanges = new ArrayList<>();

  private Broker(Connection connection) {
    this.connection = connection;
  }

  /** The broker's URI: {@code RABBITMQ_URL}, or {@link #DEFAULT_URL}. */
  public static String url() {
    String url = System.getenv("RABBITMQ_URL");
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  /** A connection factory for {@link #url()}, loopback only. */
  public static ConnectionFactory connectionFactory() {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      URI uri = URI.create(url());
      String host = uri.getHost();
      if (host == null || !(host.equals("localhost") || host.startsWith("127.")
          || host.equals("[::1]") || host.equals("::1"))) {
        throw new IllegalStateException("RABBITMQ_URL must name a loopback broker: " + host);
      }
      factory.setUri(uri);
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("RABBITMQ_URL is not an AMQP URI", e);
    }
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }

  /**
   * Connects, or fails with a message saying how to get a broker.
   *
   * @throws IllegalStateException if no broker answers
   */
  public static Broker connect() {
    try {
      return new Broker(connectionFactory().newConnection("baton-amqp-test"));
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("no RabbitMQ broker answers at " + url().replaceAll(
          "//[^@]*@", "//") + ": start rabbitmq-server (guest/guest on 127.0.0.1:5672) or set"
          + " RABBITMQ_URL", e);
    }
  }

  /** The test's connection. */
  public Connection connection() {
    return connection;
  }

  /** A new channel on the test's connection. */
  public Channel channel() throws IOException {
    return connection.createChannel();
  }

  /** A name no other test run uses. */
  public static String unique(String prefix) {
    return "baton-test." + prefix + "." + UUID.randomUUID();
  }

  /** A queue, deleted on close; with {@code deadLetterExchange} as its DLX when non-null. */
  public String queue(String prefix, @Nullable String deadLetterExchange) throws IOException {
    String name = unique(prefix);
    try (Channel channel = channel()) {
      channel.queueDeclare(name, true, false, false, deadLetterExchange == null ? Map.of()
          : Map.of("x-dead-letter-exchange", deadLetterExchange));
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
    queues.add(name);
    return name;
  }

  /** A fanout exchange, deleted on close. */
  public String fanout(String prefix) throws IOException {
    String name = unique(prefix);
    try (Channel channel = channel()) {
      channel.exchangeDeclare(name, BuiltinExchangeType.FANOUT, true, false, Map.of());
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
    exchanges.add(name);
    return name;
  }

  /** A queue of work with a dead-letter exchange whose queue collects what is dead-lettered. */
  public record Queues(String work, String deadLetterExchange, String deadLetters) {}

  /** {@link Queues}, all deleted on close. */
  public Queues queuesWithDeadLetters(String prefix) throws IOException {
    String dlx = fanout(prefix + ".dlx");
    String dlq = queue(prefix + ".dlq", null);
    try (Channel channel = channel()) {
      channel.queueBind(dlq, dlx, "");
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
    return new Queues(queue(prefix, dlx), dlx, dlq);
  }

  /** The next message on {@code queue}, waiting up to {@code timeout}; null if none came. */
  public @Nullable GetResponse next(String queue, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    try (Channel channel = channel()) {
      while (true) {
        GetResponse response = channel.basicGet(queue, true);
        if (response != null || Instant.now().isAfter(deadline)) {
          return response;
        }
        Thread.sleep(20);
      }
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
  }

  /** The number of ready messages on {@code queue}. */
  public long count(String queue) throws IOException {
    try (Channel channel = channel()) {
      return channel.messageCount(queue);
    } catch (TimeoutException e) {
      throw new IOException(e);
    }
  }

  /** Properties with the given headers. */
  public static AMQP.BasicProperties headers(Map<String, Object> headers) {
    return new AMQP.BasicProperties.Builder().headers(headers).build();
  }

  @Override
  public void close() throws IOException {
    try (Channel channel = channel()) {
      for (String queue : queues) {
        channel.queueDelete(queue);
      }
      for (String exchange : exchanges) {
        channel.exchangeDelete(exchange);
      }
    } catch (TimeoutException e) {
      throw new IOException(e);
    } finally {
      connection.close();
    }
  }
}
