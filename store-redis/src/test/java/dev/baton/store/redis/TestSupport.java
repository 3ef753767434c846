package dev.baton.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/** Callers, keys, polling and assertions shared by the Redis store's tests. */
final class TestSupport {
  /**
   * How long past the command timeout a failing call may take: a bound on hanging, generous for a
   * loaded 2-core machine, not a performance assertion.
   */
  static final Duration HANG_MARGIN = Duration.ofSeconds(2);

  /** How long to wait for Redis (or the store's reconnect) to come back after a restart. */
  static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(20);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

  private TestSupport() {}

  /** A distinct caller: unique bearer token, client {@code client-NAME}, subject {@code user-NAME}. */
  static AccessToken caller(String name) {
    return new AccessToken("bearer-" + name + "-" + UUID.randomUUID(), "client-" + name,
        List.of("read", "write"), null, null, Map.of("sub", "user-" + name));
  }

  /** A key in a scope unique to this call, so tests sharing a server never meet. */
  static TaskKey key(String taskId) {
    return new TaskKey("test-" + UUID.randomUUID(), taskId);
  }

  /**
   * Asserts that neither {@code thrown} nor any of its causes (message or {@code toString()})
   * contains {@code secret}.
   */
  static void assertNeverContains(Throwable thrown, String secret) {
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      assertThat(t.getMessage() + " / " + t)
          .as("an exception in the chain of %s must not contain the token", thrown.getClass())
          .doesNotContain(secret);
    }
  }

  /** Whether {@code haystack} contains {@code needle}'s UTF-8 bytes. */
  static boolean containsBytes(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Calls {@code action} until it returns without throwing, or fails with the last exception once
   * {@code deadline} has passed.
   */
  static <T> T eventually(Duration deadline, Callable<T> action) {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      try {
        return action.call();
      } catch (Exception | AssertionError e) {
        if (System.nanoTime() - end > 0) {
          throw new AssertionError("still failing after " + deadline, e);
        }
      }
      pause();
    }
  }

  /** The poll interval inside deadline loops. */
  static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while polling", e);
    }
  }

  /** Nanoseconds since {@code startNanos}, as a duration. */
  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
