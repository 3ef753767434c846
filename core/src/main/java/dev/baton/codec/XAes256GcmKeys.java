package dev.baton.codec;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.XAesGcmKey;
import com.google.crypto.tink.aead.XAesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One XAES-256-GCM AEAD from Google Tink for each key of a {@link SealingKeyRing}, made once and
 * reused: Tink's AEADs are immutable and thread-safe.
 *
 * <p>XAES-256-GCM (<a href="https://c2sp.org/XAES-256-GCM">C2SP</a>) takes the ring's 256-bit key
 * and a random 192-bit nonce: the first 96 bits derive a per-message AES-256 key (NIST SP 800-108r1
 * counter KDF with CMAC), the last 96 bits are the AES-256-GCM nonce. Tink's parameters for exactly
 * that are a 12-byte salt with no output prefix; its ciphertext is {@code nonce || ciphertext ||
 * tag}.
 *
 * <p>This is the only class of the codec that names a Tink type, so that without Tink the first
 * use of this class fails with a {@link NoClassDefFoundError}, which
 * {@link SealingSnapshotCodec#wrap} turns into a clear message.
 */
final class XAes256GcmKeys {
  /** Nonce length: 192 bits, drawn at random for every value by Tink. */
  static final int NONCE_BYTES = 24;
  static final int TAG_BYTES = 16;
  /** The salt Tink calls the part of the nonce that derives the key: 12 bytes per C2SP. */
  private static final int SALT_BYTES = 12;

  private final Map<String, Aead> aeads;

  private XAes256GcmKeys(Map<String, Aead> aeads) {
    this.aeads = aeads;
  }

  /**
   * Makes one AEAD per key of {@code ring}.
   *
   * @throws NoClassDefFoundError if Tink is not on the class path (or not resolved on the module
   *     path)
   * @throws IllegalStateException if Tink refuses to make an XAES-256-GCM AEAD (for example a Tink
   *     built for FIPS-only mode, which leaves XAES-256-GCM out)
   */
  static XAes256GcmKeys of(SealingKeyRing ring) {
    var aeads = new HashMap<String, Aead>();
    try {
      AeadConfig.register();
      XAesGcmParameters parameters =
          XAesGcmParameters.create(XAesGcmParameters.Variant.NO_PREFIX, SALT_BYTES);
      for (String id : ring.keyIds()) {
        byte[] material = ring.keyMaterial(id);
        try {
          XAesGcmKey key = XAesGcmKey.create(parameters,
              SecretBytes.copyFrom(material, InsecureSecretKeyAccess.get()), null);
          // A keyset of one key; its Tink key id (1) never appears in a sealed value (NO_PREFIX).
          KeysetHandle keyset = KeysetHandle.newBuilder()
              .addEntry(KeysetHandle.importKey(key).withFixedId(1).makePrimary())
              .build();
          aeads.put(id, keyset.getPrimitive(RegistryConfiguration.get(), Aead.class));
        } finally {
          Arrays.fill(material, (byte) 0);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Google Tink cannot make an XAES-256-GCM AEAD: " + e, e);
    }
    return new XAes256GcmKeys(Map.copyOf(aeads));
  }

  /** True when the ring this was made from holds {@code id}. */
  boolean holds(String id) {
    return aeads.containsKey(id);
  }

  /**
   * Encrypts with the key {@code id} and a fresh random nonce.
   *
   * @return {@code nonce || ciphertext || tag}, {@value #NONCE_BYTES} + plaintext + {@value
   *     #TAG_BYTES} bytes
   */
  byte[] seal(String id, byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return aead(id).encrypt(plaintext, associatedData);
  }

  /**
   * Decrypts {@code nonce || ciphertext || tag} with the key {@code id}.
   *
   * @throws GeneralSecurityException if it does not authenticate with this key and associated
   *     data, or is shorter than a nonce and a tag
   */
  byte[] open(String id, byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
    return aead(id).decrypt(sealed, associatedData);
  }

  private Aead aead(String id) {
    @Nullable Aead aead = aeads.get(id);
    if (aead == null) {
      throw new IllegalArgumentException("no key " + id); // callers check holds(id) first
    }
    return aead;
  }
}
