package dev.baton.store.redis;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import java.security.SecureRandom;

/**
 * The TCK against the standalone store with values sealed by AES-256-GCM
 * ({@link SealingSnapshotCodec} over JSON): sealing must change nothing a caller can observe.
 */
class RedisSealedStoreTckTest extends RedisStoreTckTest {
  private static final SnapshotCodec SEALING =
      SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(), SealingKeyRing.of("tck", randomKey()));

  @Override
  SnapshotCodec codec() {
    return SEALING;
  }

  static byte[] randomKey() {
    byte[] key = new byte[SealingKeyRing.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
