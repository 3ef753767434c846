/**
 * The storage SPI: {@link dev.baton.store.TokenSnapshotStore} and its URI-based discovery.
 */
@NullMarked
package dev.baton.store;

import org.jspecify.annotations.NullMarked;
