package dev.baton.tck;

import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/** Lets {@code -Dbaton.tck.tries=N} override the tries of the kit's properties. */
public final class TriesFromSystemProperty implements AroundPropertyHook {
  /** Instantiated by jqwik. */
  public TriesFromSystemProperty() {}

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    Optional<Integer> tries = TckConfig.integer(System::getProperty, TckConfig.TRIES);
    tries.ifPresent(context.attributes()::setTries);
    return property.execute();
  }
}
