/**
 * Messages carry their caller, on the plain RabbitMQ Java client: {@link dev.baton.amqp.BatonAmqp}
 * adds the caller's key to what a channel publishes and wraps a {@link com.rabbitmq.client.Consumer}
 * so each delivery runs as the caller who published it.
 */
@NullMarked
package dev.baton.amqp;

import org.jspecify.annotations.NullMarked;
