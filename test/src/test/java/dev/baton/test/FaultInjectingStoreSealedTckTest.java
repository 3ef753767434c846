package dev.baton.test;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.tck.FailureInjector;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TokenSnapshotStoreVerification;
import java.util.Optional;

/** The fault-injecting memory store with sealed values passes the whole kit, outages included. */
class FaultInjectingStoreSealedTckTest extends TokenSnapshotStoreVerification {
  private static final SealingKeyRing KEYS = SealingKeyRing.of("tck", new byte[32]);

  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return FaultInjectingStore.builder().ticker(time::nanos)
        .codec(SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), KEYS)).build();
  }

  /** Sealed values: the memory store in bytes mode with the kit's sealing codec. */
  @Override
  protected Optional<TokenSnapshotStore> createSealedStore(
      StoreTime time, SealingSnapshotCodec codec) {
    return Optional.of(FaultInjectingStore.builder().ticker(time::nanos).codec(codec).build());
  }

  @Override
  protected Optional<FailureInjector> failureInjection() {
    return Optional.of(store -> ((FaultInjectingStore) store).outage()::close);
  }
}
