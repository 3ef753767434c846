package dev.baton.codec;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals the values of another codec with AES-256-GCM, so that a store holding them learns nothing
 * and can change nothing: encryption at rest for bearer tokens, treating the store as untrusted.
 *
 * <h2>Layout (format version {@value #FORMAT_VERSION})</h2>
 * <pre>
 * offset  size  content
 * 0       1     0xBA, marking a sealed snapshot
 * 1       1     format version, 1
 * 2       1     n, the length of the key id (1 to {@value SealingKeyRing#MAX_ID_LENGTH})
 * 3       n     key id, ASCII
 * 3+n     12    nonce, random per value ({@link SecureRandom})
 * 15+n    ...   ciphertext of the inner codec's bytes, then the 16-byte GCM tag
 * </pre>
 * The associated data is the header (everything before the ciphertext) followed by the UTF-8 bytes
 * of {@link TaskKey#encoded()}: the header cannot be altered, and a value copied under another key
 * does not open.
 *
 * <p>Decoding fails with a {@link SnapshotDecodeException} for a value that is truncated, not
 * sealed, of another format version, sealed with a key id the {@link SealingKeyRing} does not hold
 * (the message names the id; ids are not secret), or that fails authentication (wrong key material,
 * any changed byte, or moved from another task key). Messages name the task key, never the token or
 * key material. A value that opens is handed to the inner codec, whose exceptions pass through.
 *
 * <p>Only the JDK's own AES-GCM is used. Immutable and thread-safe: a new {@link Cipher} is made for
 * every call.
 */
public final class SealingSnapshotCodec implements SnapshotCodec {
  /** The sealed format version this codec writes, and the only one it reads. */
  public static final int FORMAT_VERSION = 1;

  static final byte MAGIC = (byte) 0xBA;
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SnapshotCodec inner;
  private final SealingKeyRing keys;
  private final SecureRandom random;

  private SealingSnapshotCodec(SnapshotCodec inner, SealingKeyRing keys, SecureRandom random) {
    this.inner = inner;
    this.keys = keys;
    this.random = random;
  }

  /**
   * A codec that seals what {@code inner} encodes, with the active key of {@code keys}, and opens
   * values sealed with any key of {@code keys}.
   *
   * @param inner the codec that turns snapshots into the bytes to seal, such as
   *     {@link JsonSnapshotCodec#create()}
   * @param keys the keys to seal and open with
   * @return a new codec; never null
   * @throws NullPointerException if an argument is null
   */
  public static SealingSnapshotCodec wrap(SnapshotCodec inner, SealingKeyRing keys) {
    return new SealingSnapshotCodec(
        Objects.requireNonNull(inner, "inner"), Objects.requireNonNull(keys, "keys"),
        new SecureRandom());
  }

  /**
   * Encodes {@code snapshot} with the inner codec and seals it with the ring's active key, bound to
   * {@code key}. Two calls with the same arguments give different bytes (fresh nonce).
   *
   * @return a new array; never null
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the inner codec refuses the snapshot (too large)
   * @throws IllegalStateException if the platform cannot run AES-GCM (it is required of every Java
   *     platform)
   */
  @Override
  public byte[] encode(TaskKey key, TokenSnapshot snapshot) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(snapshot, "snapshot");
    byte[] plaintext = inner.encode(key, snapshot);
    byte[] id = keys.activeKeyId().getBytes(StandardCharsets.US_ASCII);
    int headerLength = 3 + id.length + NONCE_BYTES;
    byte[] out = new byte[headerLength + plaintext.length + TAG_BYTES];
    out[0] = MAGIC;
    out[1] = FORMAT_VERSION;
    out[2] = (byte) id.length;
    System.arraycopy(id, 0, out, 3, id.length);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, out, 3 + id.length, NONCE_BYTES);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keys.activeKey(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(out, 0, headerLength);
      cipher.updateAAD(key.encoded().getBytes(StandardCharsets.UTF_8));
      int written = cipher.doFinal(plaintext, 0, plaintext.length, out, headerLength);
      if (written != plaintext.length + TAG_BYTES) {
        throw new IllegalStateException("AES-GCM wrote " + written + " bytes, expected "
            + (plaintext.length + TAG_BYTES));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed while sealing a snapshot for " + key, e);
    }
    return out;
  }

  /**
   * Opens a sealed value read from under {@code key} and decodes it with the inner codec.
   *
   * @return the snapshot sealed under {@code key}; never null, never another snapshot
   * @throws NullPointerException if an argument is null
   * @throws SnapshotDecodeException if the value is truncated, not a sealed snapshot, of another
   *     format version, sealed with a key id the ring does not hold, or fails authentication (wrong
   *     key, changed bytes, sealed under another task key); or if the inner codec cannot decode it.
   *     The message names the task key and possibly the key id, never the token or key material
   * @throws IllegalStateException if the platform cannot run AES-GCM
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
    if (bytes[1] != FORMAT_VERSION) {
      throw fail(key, "unsupported sealed format version " + (bytes[1] & 0xFF)
          + "; this Baton reads version " + FORMAT_VERSION);
    }
    int idLength = bytes[2] & 0xFF;
    if (idLength < 1 || idLength > SealingKeyRing.MAX_ID_LENGTH) {
      throw fail(key, "sealed value has a malformed header (key id length " + idLength + ")");
    }
    int headerLength = 3 + idLength + NONCE_BYTES;
    if (bytes.length < headerLength + TAG_BYTES) {
      throw fail(key, "sealed value is truncated (" + bytes.length + " bytes)");
    }
    String id = new String(bytes, 3, idLength, StandardCharsets.US_ASCII);
    if (!SealingKeyRing.isValidId(id)) {
      throw fail(key, "sealed value has a malformed header (key id characters)");
    }
    SecretKey secret = keys.key(id);
    if (secret == null) {
      throw fail(key, "sealed with unknown key id " + id + "; the key ring holds "
          + keys.keyIds());
    }
    byte[] plaintext;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, secret,
          new GCMParameterSpec(TAG_BYTES * 8, bytes, 3 + idLength, NONCE_BYTES));
      cipher.updateAAD(bytes, 0, headerLength);
      cipher.updateAAD(key.encoded().getBytes(StandardCharsets.UTF_8));
      plaintext = cipher.doFinal(bytes, headerLength, bytes.length - headerLength);
    } catch (AEADBadTagException e) {
      throw fail(key, "sealed value failed authentication with key id " + id
          + " (wrong key material, changed bytes, or sealed under another task key)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed while opening a snapshot for " + key, e);
    }
    return inner.decode(key, plaintext);
  }

  /** Describes the codec: the inner codec and the key ids, never key material. */
  @Override
  public String toString() {
    return "SealingSnapshotCodec[v" + FORMAT_VERSION + ", inner=" + inner + ", keys=" + keys + "]";
  }

  private static SnapshotDecodeException fail(TaskKey key, String rule) {
    return new SnapshotDecodeException("cannot decode snapshot for " + key + ": " + rule);
  }
}
