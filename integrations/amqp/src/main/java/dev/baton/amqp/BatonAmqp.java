package dev.baton.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Consumer;
import dev.baton.Baton;
import dev.baton.CallerBinding;
import dev.baton.RestoreFailedException;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TaskScope;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Messages that carry their caller, on RabbitMQ: the publishing side captures the current caller
 * and puts only its encoded {@link TaskKey} in the {@value CallerHeader#TASK_KEY} header; the
 * consuming side restores that caller around the listener and clears the thread afterwards.
 *
 * <pre>{@code
 * BatonAmqp amqp = BatonAmqp.builder(baton).deadLetterExchange("orders.dlx").build();
 *
 * // request thread, bound to the caller
 * amqp.basicPublish(channel, "orders", "order.created", null, body);
 *
 * // consumer (manual acknowledgement): handleDelivery runs as the publisher's caller
 * channel.basicConsume("orders", false, amqp.wrap(channel, new OrderConsumer(channel)));
 * }</pre>
 *
 * <p><b>Fail closed.</b> A message whose caller cannot be restored (a malformed or forged header, a
 * snapshot that is gone, a failing store) never reaches the listener and is never requeued: with a
 * {@link Builder#deadLetterExchange dead-letter exchange} Baton republishes it there with a
 * {@value CallerHeader#REFUSAL} header naming the {@link RefusalReason} and acknowledges the
 * original; without one it is rejected without requeue, so the broker dead-letters it through the
 * queue's own {@code x-dead-letter-exchange} (its {@code x-death} header says {@code rejected};
 * the reason is in the warning Baton logs) or drops it. A broker cannot add a header to a message
 * it dead-letters, hence the choice. This follows the Baton's
 * {@link dev.baton.RestoreFailurePolicy#FAIL} (the default); under {@code RUN_UNAUTHENTICATED} a
 * message whose snapshot is gone runs without a token instead.
 *
 * <p><b>No caller.</b> A message published by a thread with no caller carries a key to an explicit
 * anonymous snapshot and runs with no token. A message with no header at all (published without
 * Baton) runs with an explicit "no caller" installed, never with what the thread held before,
 * unless {@link Builder#requireCallerHeader(boolean)} refuses it.
 *
 * <p><b>Redelivery.</b> Brokers deliver at least once. Under {@link dev.baton.RestoreMode#LOAD}
 * a message redelivered because its consumer died before acknowledging it runs again as its
 * caller (the snapshot is deleted only when a handling completes). Under
 * {@link dev.baton.RestoreMode#TAKE} the first delivery consumes the snapshot: a redelivery is
 * refused as {@link RefusalReason#MISSING}, so the listener runs at most once per message. Choose
 * {@code TAKE} when doing the work twice is worse than not doing it (payments, e-mails), and use
 * {@code LOAD} with {@link dev.baton.CleanupPolicy#DELETE_ON_SUCCESS} when a listener that throws
 * is requeued and retried.
 *
 * <p>Immutable and thread-safe.
 */
public final class BatonAmqp {
  private static final System.Logger LOGGER = System.getLogger(BatonAmqp.class.getName());

  private final Baton baton;
  private final @Nullable String deadLetterExchange;
  private final @Nullable String deadLetterRoutingKey;
  private final boolean requireCallerHeader;

  private BatonAmqp(Builder builder) {
    this.baton = builder.baton;
    this.deadLetterExchange = builder.deadLetterExchange;
    this.deadLetterRoutingKey = builder.deadLetterRoutingKey;
    this.requireCallerHeader = builder.requireCallerHeader;
  }

  /**
   * Baton for RabbitMQ with the defaults: refused messages are rejected without requeue, and a
   * message without a caller header runs with no caller.
   *
   * @throws NullPointerException if {@code baton} is null
   */
  public static BatonAmqp of(Baton baton) {
    return builder(baton).build();
  }

  /**
   * A builder over {@code baton}, which must have a store (the key crosses the broker; the
   * snapshot waits in the store).
   *
   * @throws NullPointerException if {@code baton} is null
   */
  public static Builder builder(Baton baton) {
    return new Builder(baton);
  }

  /** The Baton that captures and restores. */
  public Baton baton() {
    return baton;
  }

  /** The exchange refused messages are republished to; empty when they are rejected instead. */
  public Optional<String> deadLetterExchange() {
    return Optional.ofNullable(deadLetterExchange);
  }

  // ---------------------------------------------------------------- publish

  /**
   * Captures the current caller ({@link Baton#capture()}) and returns {@code properties} with the
   * {@value CallerHeader#TASK_KEY} header set to the new key, replacing any value it had: a
   * header a message already carries is never passed on, so a publisher cannot forward someone
   * else's key by copying a message.
   *
   * @param properties the message's properties, or {@code null} for none
   * @return a copy of {@code properties} with the header
   * @throws dev.baton.store.TokenStoreException if the store fails; publish nothing then
   * @throws IllegalStateException if the Baton has no store
   */
  public AMQP.BasicProperties withCaller(AMQP.@Nullable BasicProperties properties) {
    return withKey(properties, baton.capture());
  }

  private static AMQP.BasicProperties withKey(
      AMQP.@Nullable BasicProperties properties, TaskKey key) {
    AMQP.BasicProperties base = properties == null ? new AMQP.BasicProperties() : properties;
    Map<String, Object> headers = base.getHeaders() == null ? new HashMap<>()
        : new HashMap<>(base.getHeaders());
    headers.put(CallerHeader.TASK_KEY, key.encoded());
    return base.builder().headers(headers).build();
  }

  /**
   * {@link Channel#basicPublish(String, String, AMQP.BasicProperties, byte[])} of a message that
   * carries the current caller (see {@link #withCaller}). If the publish throws, the snapshot just
   * captured is deleted (best effort; it would otherwise wait for its TTL).
   *
   * @throws IOException what the channel threw
   * @throws dev.baton.store.TokenStoreException if the store fails; nothing is published
   */
  public void basicPublish(Channel channel, String exchange, String routingKey,
      AMQP.@Nullable BasicProperties properties, byte[] body) throws IOException {
    basicPublish(channel, exchange, routingKey, false, properties, body);
  }

  /**
   * As {@link #basicPublish(Channel, String, String, AMQP.BasicProperties, byte[])}, with the
   * {@code mandatory} flag.
   *
   * @throws IOException what the channel threw
   * @throws dev.baton.store.TokenStoreException if the store fails; nothing is published
   */
  public void basicPublish(Channel channel, String exchange, String routingKey, boolean mandatory,
      AMQP.@Nullable BasicProperties properties, byte[] body) throws IOException {
    Objects.requireNonNull(channel, "channel");
    TaskKey key = baton.capture();
    try {
      channel.basicPublish(exchange, routingKey, mandatory, withKey(properties, key), body);
    } catch (IOException | RuntimeException e) {
      forget(key);
      throw e;
    }
  }

  private void forget(TaskKey key) {
    try {
      baton.store().ifPresent(store -> store.delete(key));
    } catch (RuntimeException e) {
      LOGGER.log(Level.DEBUG, "Could not delete the snapshot of an unpublished message", e);
    }
  }

  // ---------------------------------------------------------------- consume

  /**
   * A consumer that hands each delivery to {@code consumer} as the caller who published it, and
   * refuses one whose caller cannot be restored (see the class description). Every other callback
   * is passed on unchanged.
   *
   * <p>Consume with manual acknowledgement ({@code autoAck = false}): a refused delivery is
   * acknowledged or rejected on {@code channel}, and {@code consumer} acknowledges the rest.
   *
   * @param channel the channel {@code consumer} is registered on
   * @param consumer the application's consumer
   * @throws NullPointerException if an argument is null
   */
  public Consumer wrap(Channel channel, Consumer consumer) {
    return new BatonConsumer(this, channel, consumer);
  }

  /**
   * Installs the caller named by a {@value CallerHeader#TASK_KEY} header value on the current
   * thread, for integrations of other consumers (Spring AMQP's uses this).
   *
   * @param headerValue the header's value, or {@code null} when the message has none
   * @return the open scope; close it when the listener returns
   * @throws MessageRefusedException if the message must not run (nothing is installed then)
   */
  public MessageScope enter(@Nullable Object headerValue) {
    if (headerValue == null) {
      if (requireCallerHeader) {
        throw new MessageRefusedException(RefusalReason.NO_KEY, "the message has no "
            + CallerHeader.TASK_KEY + " header and this consumer requires one", null);
      }
      return new NoCallerScope(CallerBinding.none().install());
    }
    TaskKey key = CallerHeader.parse(headerValue);
    TaskScope scope;
    try {
      scope = baton.enter(key);
    } catch (RestoreFailedException e) {
      // The key's scope is not secret, but the message need not repeat it: the store's warning
      // (logged by Baton) names the key. The cause kept is the store's own failure, if any.
      RefusalReason reason = RefusalReason.of(e.reason());
      throw new MessageRefusedException(reason, switch (reason) {
        case MISSING -> "no snapshot under the message's key (never captured, expired, taken by an"
            + " earlier delivery, or deleted once the message was handled)";
        case CALLER_EXPIRED -> "the message's caller had expired before it was consumed";
        default -> "the store failed or could not open the snapshot";
      }, e.getCause());
    }
    return new RestoredScope(scope);
  }

  /**
   * Republishes a refused message to the {@link Builder#deadLetterExchange dead-letter exchange}
   * with its original properties and headers plus {@value CallerHeader#REFUSAL},
   * {@value CallerHeader#ORIGINAL_EXCHANGE} and {@value CallerHeader#ORIGINAL_ROUTING_KEY}; the
   * caller then acknowledges the original.
   *
   * @return {@code false} if no dead-letter exchange is set (nothing was published: reject the
   *     original without requeue)
   * @throws IOException what the channel threw
   */
  public boolean deadLetter(Channel channel, String exchange, String routingKey,
      AMQP.@Nullable BasicProperties properties, byte[] body, RefusalReason reason)
      throws IOException {
    String target = deadLetterExchange;
    if (target == null) {
      return false;
    }
    AMQP.BasicProperties base = properties == null ? new AMQP.BasicProperties() : properties;
    Map<String, Object> headers = base.getHeaders() == null ? new HashMap<>()
        : new HashMap<>(base.getHeaders());
    headers.put(CallerHeader.REFUSAL, reason.name());
    headers.put(CallerHeader.ORIGINAL_EXCHANGE, exchange);
    headers.put(CallerHeader.ORIGINAL_ROUTING_KEY, routingKey);
    String key = deadLetterRoutingKey == null ? routingKey : deadLetterRoutingKey;
    channel.basicPublish(target, key, base.builder().headers(headers).build(), body);
    return true;
  }

  /**
   * Logs a refusal at {@code WARNING}: the reason and what was done, never the header's value in
   * full nor the routing key (both are the publisher's to choose).
   */
  public static void logRefusal(String where, MessageRefusedException refusal,
      boolean republished) {
    LOGGER.log(Level.WARNING, "Refused a message from " + where + ": " + refusal.getMessage()
        + (republished ? "; republishing it to the dead-letter exchange"
            : "; rejected without requeue"), refusal.getCause());
  }

  /** The thread's "no caller" binding for a message without a header. */
  private static final class NoCallerScope implements MessageScope {
    private final Scope scope;

    NoCallerScope(Scope scope) {
      this.scope = scope;
    }

    @Override
    public void markSucceeded() {}

    @Override
    public void close() {
      scope.close();
    }
  }

  /** The restored task scope of a message with a header. */
  private static final class RestoredScope implements MessageScope {
    private final TaskScope scope;

    RestoredScope(TaskScope scope) {
      this.scope = scope;
    }

    @Override
    public void markSucceeded() {
      scope.markSucceeded();
    }

    @Override
    public void close() {
      scope.close();
    }
  }

  /** Configures a {@link BatonAmqp}. Not thread-safe. */
  public static final class Builder {
    private final Baton baton;
    private @Nullable String deadLetterExchange;
    private @Nullable String deadLetterRoutingKey;
    private boolean requireCallerHeader;

    private Builder(Baton baton) {
      this.baton = Objects.requireNonNull(baton, "baton");
    }

    /**
     * Refused messages are republished to {@code exchange} (which must exist) with a
     * {@value CallerHeader#REFUSAL} header, then acknowledged, instead of being rejected without
     * requeue. Point it at the queue's dead-letter exchange to have every dead letter in one
     * place, with the reason on those Baton refused.
     *
     * @param exchange the exchange's name
     * @param routingKey the routing key, or {@code null} to keep the message's own
     * @throws NullPointerException if {@code exchange} is null
     */
    public Builder deadLetterExchange(String exchange, @Nullable String routingKey) {
      this.deadLetterExchange = Objects.requireNonNull(exchange, "exchange");
      this.deadLetterRoutingKey = routingKey;
      return this;
    }

    /** As {@link #deadLetterExchange(String, String)}, keeping the message's routing key. */
    public Builder deadLetterExchange(String exchange) {
      return deadLetterExchange(exchange, null);
    }

    /**
     * Whether a message without a {@value CallerHeader#TASK_KEY} header is refused
     * ({@link RefusalReason#NO_KEY}) instead of running with no caller. Defaults to {@code false}:
     * a message published without Baton runs, as nobody.
     */
    public Builder requireCallerHeader(boolean require) {
      this.requireCallerHeader = require;
      return this;
    }

    /**
     * A new {@link BatonAmqp}.
     *
     * @throws IllegalStateException if the Baton has no store
     */
    public BatonAmqp build() {
      if (baton.store().isEmpty()) {
        throw new IllegalStateException("BatonAmqp needs a Baton with a store: the message carries"
            + " only the key, and the consumer loads the caller from the store");
      }
      return new BatonAmqp(this);
    }
  }
}
