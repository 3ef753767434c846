package dev.baton.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The 256-bit keys a {@link SealingSnapshotCodec} uses: one <em>active</em> key that seals every new
 * value, and any number of <em>retired</em> keys that still open values sealed before a rotation.
 *
 * <p>Each key has an id, written in the clear into every sealed value so that the right key can be
 * found: 1 to {@value #MAX_ID_LENGTH} characters from {@code A-Z a-z 0-9 . _ -}. Ids are not secret
 * and appear in messages and in {@link #toString()}; key material never does, in any message of this
 * class or of the codec.
 *
 * <h2>Rotation</h2>
 * <ol>
 *   <li>Generate a key ({@code openssl rand -base64 32}) and put it first in the configuration,
 *       keeping the old one after it: {@code k2:<new>,k1:<old>}. New values are sealed with
 *       {@code k2}; values sealed with {@code k1} still open.
 *   <li>Once every value sealed with {@code k1} has expired (the longest snapshot TTL), drop it:
 *       {@code k2:<new>}. A value still sealed with {@code k1} then fails to open with a
 *       {@link SnapshotDecodeException} naming {@code k1}.
 * </ol>
 * The codec seals with XAES-256-GCM, whose random 192-bit nonces keep a key safe for about
 * 2<sup>80</sup> values, so volume never forces a rotation; rotate on a schedule (yearly, say) and
 * whenever a key may have leaked.
 *
 * <h2>Configuration format</h2>
 * {@link #parse(String)} (and {@link #fromEnvironment}, {@link #fromFile}) read entries
 * {@code id:base64key} separated by commas and/or whitespace (so a file may hold one per line); the
 * first is the active key. Base64 may be standard or URL-safe, padded or not, and must decode to
 * exactly {@value #KEY_BYTES} bytes.
 *
 * <p>Immutable and thread-safe; every method copies key bytes given to it.
 */
public final class SealingKeyRing {
  /** The length of every key: 32 bytes, for XAES-256-GCM (and AES-256-GCM, to open old values). */
  public static final int KEY_BYTES = 32;

  /** The longest key id, in characters. */
  public static final int MAX_ID_LENGTH = 32;

  private static final String ALGORITHM = "AES";

  private final String activeId;
  /** Active key first, then retired keys in the order added; unmodifiable. */
  private final Map<String, SecretKey> keys;

  private SealingKeyRing(String activeId, Map<String, SecretKey> keys) {
    this.activeId = activeId;
    this.keys = Collections.unmodifiableMap(keys);
  }

  /**
   * A ring holding just an active key.
   *
   * @param activeId the key's id (see the class comment for the allowed characters)
   * @param key the {@value #KEY_BYTES} key bytes; copied
   * @return a new ring; never null
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the id is malformed or the key is not {@value #KEY_BYTES}
   *     bytes long; the message never holds key material
   */
  public static SealingKeyRing of(String activeId, byte[] key) {
    checkId(activeId);
    var keys = new LinkedHashMap<String, SecretKey>();
    keys.put(activeId, secretKey(activeId, key));
    return new SealingKeyRing(activeId, keys);
  }

  /**
   * This ring plus a retired key that opens values but never seals them.
   *
   * @param id the key's id; not already in this ring
   * @param key the {@value #KEY_BYTES} key bytes; copied
   * @return a new ring; this one is unchanged
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the id is malformed or already used, or the key is not
   *     {@value #KEY_BYTES} bytes long; the message never holds key material
   */
  public SealingKeyRing withRetired(String id, byte[] key) {
    checkId(id);
    if (keys.containsKey(id)) {
      throw new IllegalArgumentException("key id " + id + " is already in the key ring");
    }
    var copy = new LinkedHashMap<>(keys);
    copy.put(id, secretKey(id, key));
    return new SealingKeyRing(activeId, copy);
  }

  /**
   * Reads a ring from configuration text: entries {@code id:base64key} separated by commas and/or
   * whitespace, the first being the active key.
   *
   * @param spec the configuration text
   * @return a new ring; never null
   * @throws NullPointerException if {@code spec} is null
   * @throws IllegalArgumentException if the text holds no entry, an entry is malformed, an id is
   *     repeated, or a key is not valid base64 of {@value #KEY_BYTES} bytes; the message names the
   *     entry's position (and its id when well formed) but never holds key material
   */
  @SuppressWarnings("StringSplitter") // dropping trailing empty entries is intended: "k1:..., "
  public static SealingKeyRing parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String trimmed = spec.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("key ring configuration holds no keys");
    }
    String[] entries = trimmed.split("[,\\s]+");
    SealingKeyRing ring = null;
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i];
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "key ring entry " + (i + 1) + " must be <id>:<base64 key>");
      }
      String id = entry.substring(0, colon);
      if (!isValidId(id)) {
        // Not echoed: a malformed "id" may be key material pasted in the wrong place.
        throw new IllegalArgumentException("key ring entry " + (i + 1) + " has a malformed key id"
            + " (1 to " + MAX_ID_LENGTH + " characters from A-Z a-z 0-9 . _ -)");
      }
      byte[] key = decodeBase64(id, entry.substring(colon + 1));
      try {
        ring = ring == null ? of(id, key) : ring.withRetired(id, key);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }
    if (ring == null) { // only separators, such as ","
      throw new IllegalArgumentException("key ring configuration holds no keys");
    }
    return ring;
  }

  /**
   * Reads a ring from an environment variable holding {@linkplain #parse(String) configuration
   * text}, such as {@code BATON_SEALING_KEYS=k2:...,k1:...}.
   *
   * @param variableName the variable's name
   * @return a new ring; never null
   * @throws NullPointerException if {@code variableName} is null
   * @throws IllegalStateException if the variable is not set
   * @throws IllegalArgumentException if its value is not valid configuration text (see
   *     {@link #parse(String)}); the message names the variable, never its value
   */
  public static SealingKeyRing fromEnvironment(String variableName) {
    return fromEnvironment(variableName, System::getenv);
  }

  /** {@link #fromEnvironment(String)} against a given environment, for tests. */
  static SealingKeyRing fromEnvironment(
      String variableName, Function<String, @Nullable String> environment) {
    Objects.requireNonNull(variableName, "variableName");
    String value = environment.apply(variableName);
    if (value == null) {
      throw new IllegalStateException("environment variable " + variableName + " is not set");
    }
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "environment variable " + variableName + ": " + e.getMessage());
    }
  }

  /**
   * Reads a ring from a UTF-8 file holding {@linkplain #parse(String) configuration text}, for
   * example a mounted secret with one {@code id:base64key} per line.
   *
   * @param file the file to read
   * @return a new ring; never null
   * @throws NullPointerException if {@code file} is null
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if its content is not valid configuration text (see
   *     {@link #parse(String)}); the message names the file, never its content
   */
  public static SealingKeyRing fromFile(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    String content = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return parse(content);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key file " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads a ring from where a configuration reference points: {@code env:NAME} (an environment
   * variable, see {@link #fromEnvironment}) or {@code file:PATH} (a file, see {@link #fromFile}).
   * This is what a store URI's {@code sealingKeys} parameter holds, so that key material itself
   * never appears in a URI.
   *
   * @param reference {@code env:NAME} or {@code file:PATH}
   * @return a new ring; never null
   * @throws NullPointerException if {@code reference} is null
   * @throws IllegalArgumentException if the reference has neither prefix, or what it points to is
   *     not valid configuration text, or the file cannot be read
   * @throws IllegalStateException if the environment variable is not set
   */
  public static SealingKeyRing fromReference(String reference) {
    Objects.requireNonNull(reference, "reference");
    if (reference.startsWith("env:")) {
      return fromEnvironment(reference.substring("env:".length()));
    }
    if (reference.startsWith("file:")) {
      Path file = Path.of(reference.substring("file:".length()));
      try {
        return fromFile(file);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read key file " + file + ": " + e, e);
      }
    }
    throw new IllegalArgumentException(
        "a key ring reference must be env:NAME or file:PATH (key material never goes in a URI)");
  }

  /**
   * The active key's id.
   *
   * @return the id of the key that seals new values; never null
   */
  public String activeKeyId() {
    return activeId;
  }

  /**
   * The ids of all keys in the ring, the active key first.
   *
   * @return an unmodifiable list; never null or empty
   */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }

  /** Shows the key ids, never key material: {@code SealingKeyRing[active=k2, retired=[k1]]}. */
  @Override
  public String toString() {
    var retired = new ArrayList<>(keys.keySet());
    retired.remove(activeId);
    return "SealingKeyRing[active=" + activeId + ", retired=" + retired + "]";
  }

  /** A copy of the key material of {@code id}, which the ring holds; the caller zeroes it. */
  byte[] keyMaterial(String id) {
    return Objects.requireNonNull(keys.get(id), id).getEncoded();
  }

  /** The key with the given id, or null when the ring has none. */
  @Nullable SecretKey key(String id) {
    return keys.get(id);
  }

  static boolean isValidId(String id) {
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (!isValidId(id)) {
      throw new IllegalArgumentException("key id must be 1 to " + MAX_ID_LENGTH
          + " characters from A-Z a-z 0-9 . _ - (was " + id.length() + " characters)");
    }
  }

  private static SecretKey secretKey(String id, byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("key " + id + " must be " + KEY_BYTES
          + " bytes (AES-256), was " + key.length + " bytes");
    }
    return new SecretKeySpec(key, ALGORITHM); // copies the bytes
  }

  private static byte[] decodeBase64(String id, String text) {
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    try {
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes a character of the key: not chained, not repeated.
      throw new IllegalArgumentException("key " + id + " is not valid base64");
    }
  }
}
