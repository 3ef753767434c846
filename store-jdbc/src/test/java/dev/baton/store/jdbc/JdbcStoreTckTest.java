package dev.baton.store.jdbc;

import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.tck.FailureInjector;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TimeControl;
import dev.baton.tck.TokenSnapshotStoreVerification;
import java.time.Duration;
import java.util.Optional;

/**
 * The TCK against the JDBC store on a real PostgreSQL, sealed (the default), on the database's
 * clock: timestamps have microsecond resolution. Outages stop the server (or cut the proxy in front
 * of {@code PG_URL}) and bring it back on the same port; the same store instance must recover.
 */
class JdbcStoreTckTest extends TokenSnapshotStoreVerification {
  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return JdbcTokenSnapshotStore.builder()                  // `time` is the system's: ignored
        .dataSource(TestDatabase.get().pool())
        .sealingKeys(SealingKeyRing.of("tck", new byte[32]))
        .build();
  }

  @Override
  protected Optional<TokenSnapshotStore> createSealedStore(StoreTime time,
      SealingSnapshotCodec codec) {
    return Optional.of(JdbcTokenSnapshotStore.builder()    // the kit's key, random per run
        .dataSource(TestDatabase.get().pool())
        .codec(codec)
        .build());
  }

  @Override
  protected TimeControl timeControl() {
    return TimeControl.realTime(Duration.ofNanos(1_000)); // timestamptz: 1 microsecond
  }

  @Override
  protected Optional<FailureInjector> failureInjection() {
    return Optional.of(store -> TestDatabase.get().outage());
  }
}
