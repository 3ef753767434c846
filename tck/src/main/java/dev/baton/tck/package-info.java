/**
 * The Baton TCK: a compatibility kit that any {@link dev.baton.store.TokenSnapshotStore} can run.
 *
 * <p>Extend {@link dev.baton.tck.TokenSnapshotStoreVerification} in a test, build your store in its
 * factory method, declare how the kit controls time ({@link dev.baton.tck.TimeControl}), and run it
 * with JUnit Jupiter (which comes with this module; the properties run on QuickTheories inside
 * ordinary checks).
 */
@NullMarked
package dev.baton.tck;

import org.jspecify.annotations.NullMarked;
