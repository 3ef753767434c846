package dev.baton.codec;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns snapshots into bytes and back, for stores that keep bytes (Redis, JDBC, the memory store's
 * strict mode). Every snapshot a codec encodes decodes to an equal snapshot.
 *
 * <p>The key is part of both calls so that a codec can bind a value to the key it was stored under
 * (the sealing codec uses it as associated data: a value copied under another key fails to open).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface SnapshotCodec {

  /**
   * Encodes {@code snapshot}, stored under {@code key}.
   *
   * @param key the task key the value will be stored under
   * @param snapshot the snapshot to encode
   * @return a new array the caller owns; never null
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the encoding would exceed this codec's size limit, or the
   *     snapshot holds a value outside the format's limits (documented by the codec)
   */
  byte[] encode(TaskKey key, TokenSnapshot snapshot);

  /**
   * Prepares to encode one {@code snapshot} under many keys (a batch save): the function returns,
   * for each key, what {@link #encode}{@code (key, snapshot)} returns (byte for byte for a
   * deterministic codec; for a sealing one, a value sealed the same way, under that key). A codec
   * does here, once, the work that does not depend on the key: the JSON codec writes the snapshot
   * once; the sealing codec seals that JSON per key, since the key is its associated data.
   *
   * <p>The default encodes per call. The function is thread-safe, returns a new array the caller
   * owns on each call, and throws what {@link #encode} throws; this method may throw the size
   * limit's {@link IllegalArgumentException} at once instead.
   *
   * @param snapshot the snapshot every key will hold
   * @return a function from a task key to the value to store under it; never null
   * @throws NullPointerException if {@code snapshot} is null
   * @throws IllegalArgumentException if the encoding would exceed this codec's size limit
   */
  default Function<TaskKey, byte[]> encoderFor(TokenSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    return key -> encode(key, snapshot);
  }

  /**
   * Decodes a value read from under {@code key}. Damage that breaks the format, and a version
   * mismatch, are always an exception. A codec that authenticates its values (such as
   * {@link SealingSnapshotCodec}) also never returns a snapshot other than the one encoded under
   * {@code key}; a plain one (such as {@link JsonSnapshotCodec}) cannot tell a well-formed change
   * from the original, so use it alone only with a store that is trusted.
   *
   * @param key the task key the value was read from under
   * @param bytes the stored value; not modified
   * @return the decoded snapshot; never null
   * @throws NullPointerException if an argument is null
   * @throws SnapshotDecodeException if {@code bytes} is not a valid encoding for {@code key}; its
   *     message never contains the token
   */
  TokenSnapshot decode(TaskKey key, byte[] bytes);
}
