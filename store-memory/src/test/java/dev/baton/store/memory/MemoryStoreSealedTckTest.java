package dev.baton.store.memory;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TokenSnapshotStoreVerification;

/**
 * The memory store with sealed values (AES-GCM over versioned JSON) passes the kit; its size limit
 * is the JSON codec's, as sealing wraps the JSON.
 */
class MemoryStoreSealedTckTest extends TokenSnapshotStoreVerification {
  private static final SealingKeyRing KEYS = SealingKeyRing.of("tck", new byte[32]);

  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return MemoryTokenSnapshotStore.builder().ticker(time::nanos).executor(Runnable::run)
        .codec(SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), KEYS)).build();
  }
}
