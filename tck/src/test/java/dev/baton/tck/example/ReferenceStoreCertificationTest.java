package dev.baton.tck.example;

import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.tck.FailureInjector;
import dev.baton.tck.ReferenceStore;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TokenSnapshotStoreVerification;
import java.util.Optional;

/**
 * The kit as a store author uses it, from another package: Surefire runs this class directly, every
 * check must pass (none skipped), and all report under this class's name.
 */
class ReferenceStoreCertificationTest extends TokenSnapshotStoreVerification {
  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return new ReferenceStore(time);
  }

  @Override
  protected Optional<TokenSnapshotStore> createSealedStore(
      StoreTime time, SealingSnapshotCodec codec) {
    return Optional.of(new ReferenceStore(time, codec));
  }

  @Override
  protected Optional<FailureInjector> failureInjection() {
    return Optional.of(store -> ((ReferenceStore) store).outage());
  }
}
