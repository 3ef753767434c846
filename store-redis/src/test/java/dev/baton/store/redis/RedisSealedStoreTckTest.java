package dev.baton.store.redis;

import dev.baton.codec.SealingKeyRing;
import java.security.SecureRandom;

/**
 * The TCK against the standalone store with values sealed (XAES-256-GCM over JSON, the default
 * scheme of {@link dev.baton.codec.SealingSnapshotCodec}): sealing must change nothing a caller can
 * observe.
 */
class RedisSealedStoreTckTest extends RedisStoreTckTest {
  private static final SealingKeyRing KEYS = SealingKeyRing.of("tck", randomKey());

  @Override
  RedisTokenSnapshotStore.Builder values(RedisTokenSnapshotStore.Builder builder) {
    return builder.sealingKeys(KEYS);
  }

  static byte[] randomKey() {
    byte[] key = new byte[SealingKeyRing.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
