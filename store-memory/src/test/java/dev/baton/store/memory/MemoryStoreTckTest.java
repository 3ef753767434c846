package dev.baton.store.memory;

import dev.baton.store.TokenSnapshotStore;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TokenSnapshotStoreVerification;

/**
 * The memory store in object mode (the default) passes the compatibility kit, on the kit's own
 * clock. It has no backend to lose, so the kit's failure checks are reported as skipped.
 */
class MemoryStoreTckTest extends TokenSnapshotStoreVerification {
  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return MemoryTokenSnapshotStore.builder().ticker(time::nanos).executor(Runnable::run).build();
  }
}
