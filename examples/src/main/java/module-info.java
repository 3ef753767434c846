/** Runnable demos of Baton. */
module dev.baton.examples {
  requires dev.baton.core;
  requires dev.baton.store.memory;
  requires static org.jspecify;
}
