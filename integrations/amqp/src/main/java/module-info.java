/**
 * Baton for RabbitMQ: a message published by a caller is consumed as that caller. The publisher
 * captures its caller and puts only the encoded {@link dev.baton.TaskKey} in a header; the consumer
 * restores the caller around the listener, refuses (never requeues, never runs) a message whose
 * caller cannot be restored, and clears the thread afterwards.
 *
 * <p>{@code dev.baton.amqp} serves the plain RabbitMQ Java client and holds what both sides share;
 * {@code dev.baton.amqp.spring} serves Spring AMQP (optional at run time).
 */
module dev.baton.amqp {
  requires transitive dev.baton.core;
  requires transitive com.rabbitmq.client;
  requires static transitive org.jspecify;
  requires static transitive spring.amqp;
  requires static transitive spring.rabbit;
  requires static transitive spring.aop;

  exports dev.baton.amqp;
  exports dev.baton.amqp.spring;
}
