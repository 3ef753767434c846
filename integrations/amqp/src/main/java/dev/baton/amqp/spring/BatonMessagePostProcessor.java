package dev.baton.amqp.spring;

import dev.baton.Baton;
import dev.baton.amqp.CallerHeader;
import java.util.Objects;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;

/**
 * Before a {@code RabbitTemplate} publishes, captures the current caller ({@link Baton#capture()})
 * and sets the {@value CallerHeader#TASK_KEY} header to the new key, replacing any value the message
 * carried (a header copied from another message is never passed on).
 *
 * <pre>{@code
 * rabbitTemplate.addBeforePublishPostProcessors(new BatonMessagePostProcessor(baton));
 * }</pre>
 *
 * <p>The post-processor runs on the publishing thread, so the caller is the one that thread is bound
 * to; a thread with no caller publishes a key to an explicit anonymous snapshot. If the store fails,
 * the {@link dev.baton.store.TokenStoreException} propagates and nothing is sent. Thread-safe.
 */
public final class BatonMessagePostProcessor implements MessagePostProcessor {
  private final Baton baton;

  /**
   * A post-processor capturing into {@code baton}'s store.
   *
   * @throws NullPointerException if {@code baton} is null
   * @throws IllegalArgumentException if {@code baton} has no store
   */
  public BatonMessagePostProcessor(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
    if (baton.store().isEmpty()) {
      throw new IllegalArgumentException("the Baton has no store: a message carries only the key,"
          + " and the consumer loads the caller from the store");
    }
  }

  @Override
  public Message postProcessMessage(Message message) {
    message.getMessageProperties().setHeader(CallerHeader.TASK_KEY, baton.capture().encoded());
    return message;
  }

  @Override
  public String toString() {
    return "BatonMessagePostProcessor";
  }
}
