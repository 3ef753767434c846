package dev.baton.codec;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;

/**
 * Turns snapshots into bytes and back, for stores that keep bytes (Redis, JDBC, the memory store's
 * strict mode).
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
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the encoding would exceed this codec's size limit
   */
  byte[] encode(TaskKey key, TokenSnapshot snapshot);

  /**
   * Decodes a value read from under {@code key}. Never returns a snapshot other than the one
   * encoded under {@code key}: any damage, tampering or version mismatch is an exception.
   *
   * @throws NullPointerException if an argument is null
   * @throws SnapshotDecodeException if {@code bytes} is not a valid encoding for {@code key}; its
   *     message never contains the token
   */
  TokenSnapshot decode(TaskKey key, byte[] bytes);
}
