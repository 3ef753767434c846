package dev.baton.spring.boot;

import dev.baton.Baton;
import dev.baton.BatonBuilder;

/**
 * Adjusts the auto-configured {@link Baton} before it is built, for what properties cannot say: a
 * {@link java.time.Clock}, a {@link dev.baton.BatonListener}, the lifespan context. Every bean of this
 * type is applied, in {@link org.springframework.core.annotation.Order} order, after the
 * {@code baton.*} properties.
 */
@FunctionalInterface
public interface BatonBuilderCustomizer {

  /**
   * Customizes the builder.
   *
   * @param builder the builder, with the properties already applied
   */
  void customize(BatonBuilder builder);
}
