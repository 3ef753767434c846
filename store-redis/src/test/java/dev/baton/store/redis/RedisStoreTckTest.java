package dev.baton.store.redis;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.tck.FailureInjector;
import dev.baton.tck.StoreTime;
import dev.baton.tck.TimeControl;
import dev.baton.tck.TokenSnapshotStoreVerification;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;

/**
 * The TCK against the standalone store on a real {@code redis-server} (one per class), with the
 * plain JSON codec (sealing explicitly off), on Redis's own clock (1 ms TTL granularity). Outages are real: the server is killed
 * with SIGKILL and restarted on the same port, and the same store instance must recover.
 */
class RedisStoreTckTest extends TokenSnapshotStoreVerification {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

  private static final ClassResource<RedisServerProcess> REDIS =
      new ClassResource<>(RedisServerProcess::startDefault);
  private static final OpenStores STORES = new OpenStores();

  @AfterAll
  static void stopRedis() {
    STORES.closeAll();
    REDIS.close();
  }

  /** How values are kept: plain JSON here, which a Redis store accepts only when told in words. */
  RedisTokenSnapshotStore.Builder values(RedisTokenSnapshotStore.Builder builder) {
    return builder.codec(JsonSnapshotCodec.create()).withoutSealing();
  }

  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return STORES.track(values(RedisTokenSnapshotStore.builder()
        .uri(REDIS.get().uri())
        .keyPrefix("baton-tck:")
        .commandTimeout(COMMAND_TIMEOUT))
        .build());
  }

  /** Sealed values through the same server, with the kit's sealing codec. */
  @Override
  protected Optional<TokenSnapshotStore> createSealedStore(
      StoreTime time, SealingSnapshotCodec codec) {
    return Optional.of(STORES.track(RedisTokenSnapshotStore.builder()
        .uri(REDIS.get().uri())
        .keyPrefix("baton-tck:")
        .commandTimeout(COMMAND_TIMEOUT)
        .codec(codec)
        .build()));
  }

  @Override
  protected TimeControl timeControl() {
    return TimeControl.realTime(Duration.ofMillis(1));
  }

  @Override
  protected Optional<FailureInjector> failureInjection() {
    return Optional.of(store -> {
      RedisServerProcess redis = REDIS.get();
      redis.kill();
      return () -> redis.restart();
    });
  }
}
