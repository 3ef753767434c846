package dev.baton.store.redis;

import dev.baton.TaskKey;
import dev.baton.store.TokenStoreException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;

/**
 * The one place Lettuce's exceptions become {@link TokenStoreException}s.
 *
 * <p>Messages name the command and the task key. They may carry Redis's own error text (such as
 * {@code WRONGTYPE ...}), which never echoes a value, and never the value itself.
 */
final class RedisErrors {
  private RedisErrors() {}

  static TokenStoreException translate(
      String command, TaskKey key, Duration timeout, RuntimeException e) {
    if (e instanceof TokenStoreException already) {
      return already;
    }
    String what = "Redis " + command + " for task " + key;
    if (e instanceof RedisCommandTimeoutException) {
      return new TokenStoreException(what + " timed out after " + timeout, e);
    }
    if (e instanceof RedisCommandInterruptedException) {
      Thread.currentThread().interrupt();
      return new TokenStoreException(what + " was interrupted", e);
    }
    if (e instanceof RedisCommandExecutionException) {
      return new TokenStoreException(what + " failed: " + e.getMessage(), e);
    }
    if (e instanceof RedisConnectionException) {
      return new TokenStoreException(what + " failed: Redis is unreachable (" + e.getMessage() + ")",
          e);
    }
    // Lettuce's RedisException for a rejected command while disconnected, and anything else.
    return new TokenStoreException(what + " failed: " + e.getClass().getSimpleName() + ": "
        + e.getMessage(), e);
  }
}
