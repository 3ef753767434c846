/**
 * The in-memory store: {@link dev.baton.store.memory.MemoryTokenSnapshotStore}, opened directly or
 * as {@code memory:local} through {@link dev.baton.store.TokenSnapshotStores#open(java.net.URI)}.
 */
@NullMarked
package dev.baton.store.memory;

import org.jspecify.annotations.NullMarked;
