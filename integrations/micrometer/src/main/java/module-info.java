/**
 * Baton for Micrometer: a context-propagation {@code ThreadLocalAccessor} that carries Baton's
 * caller through Reactor, Spring and Micrometer's context executors, and Baton metrics and
 * observations.
 */
module dev.baton.micrometer {
  requires transitive dev.baton.core;
  requires transitive context.propagation;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires static transitive org.jspecify;

  exports dev.baton.micrometer;

  provides io.micrometer.context.ThreadLocalAccessor with
      dev.baton.micrometer.BatonThreadLocalAccessor;
}
