package dev.baton.store.memory;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TokenSnapshotStoreVerification;

/** The memory store in bytes mode (versioned JSON, as Redis keeps it) passes the kit. */
class MemoryStoreBytesModeTckTest extends TokenSnapshotStoreVerification {
  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return MemoryTokenSnapshotStore.builder().ticker(time::nanos).executor(Runnable::run)
        .codec(JsonSnapshotCodec.create()).build();
  }
}
