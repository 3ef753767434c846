package dev.baton.tck;

import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import java.security.SecureRandom;

/**
 * The sealing codec the kit hands to {@code createSealedStore}: XAES-256-GCM over the default JSON
 * codec, with a key made at random once per JVM (the kit never needs to read what it sealed in
 * another run).
 *
 * <p>Every value it writes is binary: it starts with the byte {@code 0xBA} (never the first byte
 * of UTF-8 text, so no sealed value is valid UTF-8), and the random nonce and ciphertext hold
 * {@code 0x00} bytes (a value of 32 KiB holds several, with certainty for every practical purpose).
 * A store that keeps values as text (a {@code TEXT} column, a {@code String} built from the bytes)
 * therefore fails the sealed value checks, while passing the plain ones.
 */
final class SealedValues {
  /** The key id the kit seals under. */
  static final String KEY_ID = "baton-tck";

  private SealedValues() {}

  private static final class Holder {
    static final SealingSnapshotCodec CODEC = SealingSnapshotCodec.wrap(
        JsonSnapshotCodec.create(), SealingKeyRing.of(KEY_ID, randomKey()));

    private static byte[] randomKey() {
      byte[] key = new byte[SealingKeyRing.KEY_BYTES];
      new SecureRandom().nextBytes(key);
      return key;
    }
  }

  /** The kit's sealing codec (made on first use: Tink loads only when sealed checks run). */
  static SealingSnapshotCodec codec() {
    return Holder.CODEC;
  }
}
