/**
 * The Baton TCK: a compatibility kit for {@code TokenSnapshotStore} implementations.
 *
 * <p>Its package is open so that the JUnit Jupiter engine can instantiate and run the inherited
 * checks. QuickTheories runs the properties inside those checks; implementers never see its types.
 */
open module dev.baton.tck {
  requires transitive dev.baton.core;
  requires transitive org.junit.jupiter.api;
  requires com.google.crypto.tink; // resolves core's optional sealing dependency
  requires quicktheories;
  requires org.assertj.core;
  requires static org.jspecify;

  exports dev.baton.tck;
}
