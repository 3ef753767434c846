/**
 * The Baton TCK: a compatibility kit for {@code TokenSnapshotStore} implementations.
 *
 * <p>Its package is open so that the JUnit Platform engines (Jupiter and jqwik) can instantiate
 * and run the inherited checks.
 */
open module dev.baton.tck {
  requires transitive dev.baton.core;
  requires transitive org.junit.jupiter.api;
  requires transitive net.jqwik.api;
  requires org.assertj.core;
  requires static org.jspecify;

  exports dev.baton.tck;
}
