package dev.baton.codec;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals the values of another codec with XAES-256-GCM, so that a store holding them learns nothing
 * and can change nothing: encryption at rest for bearer tokens, treating the store as untrusted.
 *
 * <p>XAES-256-GCM (<a href="https://c2sp.org/XAES-256-GCM">c2sp.org/XAES-256-GCM</a>) is
 * AES-256-GCM with a 192-bit nonce, taken from Google Tink: random nonces stay safe for about
 * 2<sup>80</sup> values per key (collision risk 2<sup>-32</sup>), where AES-256-GCM's random 96-bit
 * nonces allow 2<sup>32</sup>, a limit that every process sharing a key ring draws on together.
 * Tink ({@code com.google.crypto.tink:tink}) is an optional dependency of Baton core, needed only by
 * this codec: {@link #wrap} fails with an {@link IllegalStateException} saying so when it is absent.
 *
 * <h2>Layout (format version {@value #FORMAT_VERSION}, XAES-256-GCM)</h2>
 * <pre>
 * offset  size  content
 * 0       1     0xBA, marking a sealed snapshot
 * 1       1     format version, 2
 * 2       1     n, the length of the key id (1 to {@value SealingKeyRing#MAX_ID_LENGTH})
 * 3       n     key id, ASCII
 * 3+n     24    nonce, random per value
 * 27+n    ...   ciphertext of the inner codec's bytes, then the 16-byte GCM tag
 * </pre>
 * The associated data is the header (bytes 0 to 3+n) followed by the UTF-8 bytes of
 * {@link TaskKey#encoded()}: the header cannot be altered, and a value copied under another key
 * does not open. The nonce is bound too: it derives the key and nonce that the tag checks.
 *
 * <h2>Format version 1 (AES-256-GCM), opened but no longer written</h2>
 * Values sealed by Baton 0.1: the same header, then a random 12-byte nonce, the AES-256-GCM
 * ciphertext and tag, with the header including the nonce (bytes 0 to 15+n) and the task key as
 * associated data. They open with the same key ring, so a deployment upgrades without resealing;
 * they disappear as they expire.
 *
 * <h2>Errors</h2>
 * Decoding fails with a {@link SnapshotDecodeException}, and never another exception, for a value
 * that is truncated, not sealed, of an unknown format version, sealed with a key id the
 * {@link SealingKeyRing} does not hold (the message names the id; ids are not secret), or that fails
 * authentication (wrong key material, any changed byte, or moved from another task key). Messages
 * name the task key, never the token or key material. A value that opens is handed to the inner
 * codec, whose exceptions pass through.
 *
 * <p>Immutable and thread-safe: one Tink AEAD per key is made by {@link #wrap} and shared by all
 * threads (Tink's AEADs are thread-safe).
 */
public final class SealingSnapshotCodec implements SnapshotCodec {
  /** The sealed format version this codec writes (XAES-256-GCM); it also reads version 1. */
  public static final int FORMAT_VERSION = 2;

  static final byte MAGIC = (byte) 0xBA;
  /** Format 1: AES-256-GCM with a random 96-bit nonce (Baton 0.1); read only. */
  static final int FORMAT_AES_256_GCM = 1;
  /** Format 2: XAES-256-GCM with a random 192-bit nonce; written and read. */
  static final int FORMAT_XAES_256_GCM = 2;
  static final int TAG_BYTES = 16;
  /** The nonce length of format 1. */
  static final int AES_GCM_NONCE_BYTES = 12;
  /** The nonce length of format 2. */
  static final int XAES_GCM_NONCE_BYTES = XAes256GcmKeys.NONCE_BYTES;
  private static final String AES_GCM = "AES/GCM/NoPadding";

  static final String TINK_MISSING = "sealing needs Google Tink (com.google.crypto.tink:tink) at"
      + " run time: add it as a dependency; on the module path also resolve module"
      + " com.google.crypto.tink (requires com.google.crypto.tink, or"
      + " --add-modules com.google.crypto.tink)";

  private final SnapshotCodec inner;
  private final SealingKeyRing keys;
  private final XAes256GcmKeys xaes;

  private SealingSnapshotCodec(SnapshotCodec inner, SealingKeyRing keys, XAes256GcmKeys xaes) {
    this.inner = inner;
    this.keys = keys;
    this.xaes = xaes;
  }

  /**
   * A codec that seals what {@code inner} encodes, with the active key of {@code keys}, and opens
   * values sealed with any key of {@code keys}. Makes one XAES-256-GCM AEAD per key, so make one
   * codec and share it rather than one per call.
   *
   * @param inner the codec that turns snapshots into the bytes to seal, such as
   *     {@link JsonSnapshotCodec#create()}
   * @param keys the keys to seal and open with
   * @return a new codec; never null
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if Google Tink is not available at run time (the message says
   *     which dependency to add), or cannot make an XAES-256-GCM AEAD
   */
  public static SealingSnapshotCodec wrap(SnapshotCodec inner, SealingKeyRing keys) {
    Objects.requireNonNull(inner, "inner");
    Objects.requireNonNull(keys, "keys");
    XAes256GcmKeys xaes;
    try {
      xaes = XAes256GcmKeys.of(keys);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(TINK_MISSING, e);
    }
    return new SealingSnapshotCodec(inner, keys, xaes);
  }

  /**
   * Encodes {@code snapshot} with the inner codec and seals it with XAES-256-GCM under the ring's
   * active key, bound to {@code key}. Two calls with the same arguments give different bytes (fresh
   * nonce).
   *
   * @return a new array in format {@value #FORMAT_VERSION}; never null
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the inner codec refuses the snapshot (too large)
   * @throws IllegalStateException if Tink fails to encrypt (it does not for valid input)
   */
  @Override
  public byte[] encode(TaskKey key, TokenSnapshot snapshot) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    return seal(key, inner.encode(key, snapshot));
  }

  /**
   * Encodes {@code snapshot} with the inner codec's {@link SnapshotCodec#encoderFor} (the JSON
   * codec writes it once) and seals it per key, each with a fresh nonce and bound to its key
   * exactly as {@link #encode} does: the key is the associated data, so sealing cannot be shared.
   */
  @Override
  public Function<TaskKey, byte[]> encoderFor(TokenSnapshot snapshot) {
    Function<TaskKey, byte[]> plaintexts = inner.encoderFor(snapshot);
    return key -> {
      Objects.requireNonNull(key, "key");
      return seal(key, plaintexts.apply(key));
    };
  }

  /** Seals {@code plaintext} for {@code key} in format {@value #FORMAT_VERSION}. */
  private byte[] seal(TaskKey key, byte[] plaintext) {
    String id = keys.activeKeyId();
    byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
    int headerLength = 3 + idBytes.length;
    byte[] taskKey = key.encoded().getBytes(StandardCharsets.UTF_8);
    byte[] associatedData = new byte[headerLength + taskKey.length];
    associatedData[0] = MAGIC;
    associatedData[1] = FORMAT_XAES_256_GCM;
    associatedData[2] = (byte) idBytes.length;
    System.arraycopy(idBytes, 0, associatedData, 3, idBytes.length);
    System.arraycopy(taskKey, 0, associatedData, headerLength, taskKey.length);
    byte[] sealed;
    try {
      sealed = xaes.seal(id, plaintext, associatedData);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("XAES-256-GCM failed while sealing a snapshot for " + key, e);
    }
    if (sealed.length != XAES_GCM_NONCE_BYTES + plaintext.length + TAG_BYTES) {
      throw new IllegalStateException("XAES-256-GCM wrote " + sealed.length + " bytes, expected "
          + (XAES_GCM_NONCE_BYTES + plaintext.length + TAG_BYTES));
    }
    byte[] out = Arrays.copyOf(associatedData, headerLength + sealed.length);
    System.arraycopy(sealed, 0, out, headerLength, sealed.length);
    return out;
  }

  /**
   * Opens a sealed value read from under {@code key}, in format 2 or 1, and decodes it with the
   * inner codec.
   *
   * @return the snapshot sealed under {@code key}; never null, never another snapshot
   * @throws NullPointerException if an argument is null
   * @throws SnapshotDecodeException if the value is truncated, not a sealed snapshot, of an unknown
   *     format version, sealed with a key id the ring does not hold, or fails authentication (wrong
   *     key, changed bytes, sealed under another task key); or if the inner codec cannot decode it.
   *     The message names the task key and possibly the key id, never the token or key material
   * @throws IllegalStateException if the platform cannot run AES-GCM (required of every Java
   *     platform) for a format 1 value
   */
  @Override
  public TokenSnapshot decode(TaskKey key, byte[] bytes) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < 3) {
      throw fail(key, "sealed value is truncated (" + bytes.length + " bytes)");
    }
    if (bytes[0] != MAGIC) {
      throw fail(key, "value is not a sealed snapshot (it does not start with 0xBA)");
    }
    int format = bytes[1] & 0xFF;
    int nonceLength;
    if (format == FORMAT_XAES_256_GCM) {
      nonceLength = XAES_GCM_NONCE_BYTES;
    } else if (format == FORMAT_AES_256_GCM) {
      nonceLength = AES_GCM_NONCE_BYTES;
    } else {
      throw fail(key, "unsupported sealed format version " + format
          + "; this Baton reads versions " + FORMAT_AES_256_GCM + " and " + FORMAT_XAES_256_GCM);
    }
    int idLength = bytes[2] & 0xFF;
    if (idLength < 1 || idLength > SealingKeyRing.MAX_ID_LENGTH) {
      throw fail(key, "sealed value has a malformed header (key id length " + idLength + ")");
    }
    int headerLength = 3 + idLength;
    if (bytes.length < headerLength + nonceLength + TAG_BYTES) {
      throw fail(key, "sealed value is truncated (" + bytes.length + " bytes)");
    }
    String id = new String(bytes, 3, idLength, StandardCharsets.US_ASCII);
    if (!SealingKeyRing.isValidId(id)) {
      throw fail(key, "sealed value has a malformed header (key id characters)");
    }
    if (!xaes.holds(id)) {
      throw fail(key, "sealed with unknown key id " + id + "; the key ring holds "
          + keys.keyIds());
    }
    byte[] taskKey = key.encoded().getBytes(StandardCharsets.UTF_8);
    byte[] plaintext = format == FORMAT_XAES_256_GCM
        ? openXAesGcm(key, id, bytes, headerLength, taskKey)
        : openAesGcm(key, id, bytes, headerLength, taskKey);
    return inner.decode(key, plaintext);
  }

  private byte[] openXAesGcm(TaskKey key, String id, byte[] bytes, int headerLength,
      byte[] taskKey) {
    byte[] associatedData = Arrays.copyOf(bytes, headerLength + taskKey.length);
    System.arraycopy(taskKey, 0, associatedData, headerLength, taskKey.length);
    try {
      return xaes.open(id, Arrays.copyOfRange(bytes, headerLength, bytes.length), associatedData);
    } catch (GeneralSecurityException e) {
      // Tink reports every failure to open (tag, length) alike; its messages hold no secrets but
      // are not chained, so that nothing of the value travels with the exception.
      throw failedAuthentication(key, id);
    }
  }

  /** Format 1, as Baton 0.1 wrote it: the JDK's AES-256-GCM with a 12-byte nonce. */
  private byte[] openAesGcm(TaskKey key, String id, byte[] bytes, int headerLength,
      byte[] taskKey) {
    SecretKey secret = Objects.requireNonNull(keys.key(id), id); // xaes holds the same ids
    int nonceEnd = headerLength + AES_GCM_NONCE_BYTES;
    try {
      Cipher cipher = Cipher.getInstance(AES_GCM);
      cipher.init(Cipher.DECRYPT_MODE, secret,
          new GCMParameterSpec(TAG_BYTES * 8, bytes, headerLength, AES_GCM_NONCE_BYTES));
      cipher.updateAAD(bytes, 0, nonceEnd);
      cipher.updateAAD(taskKey);
      return cipher.doFinal(bytes, nonceEnd, bytes.length - nonceEnd);
    } catch (AEADBadTagException e) {
      throw failedAuthentication(key, id);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed while opening a snapshot for " + key, e);
    }
  }

  /** Describes the codec: the scheme, the inner codec and the key ids, never key material. */
  @Override
  public String toString() {
    return "SealingSnapshotCodec[XAES-256-GCM v" + FORMAT_VERSION + ", inner=" + inner + ", keys="
        + keys + "]";
  }

  private static SnapshotDecodeException failedAuthentication(TaskKey key, String id) {
    return fail(key, "sealed value failed authentication with key id " + id
        + " (wrong key material, changed bytes, or sealed under another task key)");
  }

  private static SnapshotDecodeException fail(TaskKey key, String rule) {
    return new SnapshotDecodeException("cannot decode snapshot for " + key + ": " + rule);
  }
}
