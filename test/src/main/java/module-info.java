/**
 * Baton's test support, for application tests: a JUnit 5 extension that gives each test a
 * {@code Baton} on a fault-injecting memory store with one manual clock, callers in one line,
 * AssertJ assertions and a leak guard.
 */
module dev.baton.test {
  requires transitive dev.baton.core;
  requires transitive dev.baton.store.memory;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires static org.jspecify;
  requires transitive java.logging;

  exports dev.baton.test;
}
