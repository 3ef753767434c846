package dev.baton.store.redis;

import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.redis.harness.RedisCluster;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.tck.FailureInjector;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TimeControl;
import dev.baton.tck.TokenSnapshotStoreVerification;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * The TCK against the cluster store on a real three-master Redis Cluster (one per class), seeded
 * with every node: each operation is a single-key command, so no check may meet a cross-slot error
 * or a redirect the client cannot follow. Outages take the whole cluster down (every node killed) and
 * bring it back on the same ports with its {@code nodes.conf}; the same store must recover.
 */
class RedisClusterStoreTckTest extends TokenSnapshotStoreVerification {
  private static final ClassResource<RedisCluster> CLUSTER =
      new ClassResource<>(RedisCluster::start);
  private static final OpenStores STORES = new OpenStores();

  @AfterAll
  static void stopCluster() {
    STORES.closeAll();
    CLUSTER.close();
  }

  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return STORES.track(RedisTokenSnapshotStore.builder()
        .cluster(CLUSTER.get().uris())
        .keyPrefix("baton-tck:")
        .commandTimeout(RedisStoreTckTest.COMMAND_TIMEOUT)
        .withoutSealing()
        .build());
  }

  /** Sealed values on the same cluster, with the kit's sealing codec. */
  @Override
  protected Optional<TokenSnapshotStore> createSealedStore(
      StoreTime time, SealingSnapshotCodec codec) {
    return Optional.of(STORES.track(RedisTokenSnapshotStore.builder()
        .cluster(CLUSTER.get().uris())
        .keyPrefix("baton-tck:")
        .commandTimeout(RedisStoreTckTest.COMMAND_TIMEOUT)
        .codec(codec)
        .build()));
  }

  /** An outage of the whole cluster: every node killed, then restarted and awaited. */
  @Override
  protected Optional<FailureInjector> failureInjection() {
    return Optional.of(store -> {
      RedisCluster cluster = CLUSTER.get();
      cluster.nodes().forEach(RedisServerProcess::kill);
      return () -> {
        cluster.nodes().forEach(RedisServerProcess::restart);
        cluster.awaitReady();
      };
    });
  }

  @Override
  protected TimeControl timeControl() {
    return TimeControl.realTime(Duration.ofMillis(1));
  }
}
