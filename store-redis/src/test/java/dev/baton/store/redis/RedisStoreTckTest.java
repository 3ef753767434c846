package dev.baton.store.redis;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
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
 * JSON codec, on Redis's own clock (1 ms TTL granularity). Outages are real: the server is killed
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

  /** The codec under test; the JSON codec here. */
  SnapshotCodec codec() {
    return JsonSnapshotCodec.create();
  }

  @Override
  protected TokenSnapshotStore createStore(StoreTime time) {
    return STORES.track(RedisTokenSnapshotStore.builder()
        .uri(REDIS.get().uri())
        .keyPrefix("baton-tck:")
        .commandTimeout(COMMAND_TIMEOUT)
        .codec(codec())
        .build());
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
