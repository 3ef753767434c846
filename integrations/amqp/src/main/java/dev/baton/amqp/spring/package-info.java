/**
 * Messages carry their caller, on Spring AMQP: {@link dev.baton.amqp.spring.BatonMessagePostProcessor}
 * before a {@code RabbitTemplate} publishes, {@link dev.baton.amqp.spring.BatonListenerAdvice} in a
 * listener container's advice chain, so {@code @RabbitListener} methods run as the publisher's
 * caller.
 */
@NullMarked
package dev.baton.amqp.spring;

import org.jspecify.annotations.NullMarked;
