package dev.baton.store.redis.harness;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The Redis that integration tests share within one JVM.
 *
 * <p>{@link #shared()} is a {@link RedisServerProcess} started on first use and stopped by a JVM
 * shutdown hook — for tests that must own the server (kill, restart). {@link
 * #urlForNonDestructiveTests()} prefers {@code $REDIS_URL} (a Redis that CI or a developer runs,
 * which must be on a loopback address) and otherwise falls back to the shared process.
 *
 * <p>No Redis at all is a loud failure, never a skipped test: a green run must mean the Redis store
 * was exercised. Thread-safe.
 */
public final class RedisTestServer {

  /** The environment variable naming an external Redis for non-destructive tests. */
  public static final String REDIS_URL_ENV = "REDIS_URL";

  private static final Object LOCK = new Object();
  private static RedisServerProcess shared;

  private RedisTestServer() {}

  /**
   * The JVM-wide server, started lazily (no AOF). Tests may {@link RedisServerProcess#kill() kill}
   * and {@link RedisServerProcess#restart() restart} it, but must leave it running.
   *
   * @throws IllegalStateException when {@code redis-server} is missing or does not start
   */
  public static RedisServerProcess shared() {
    synchronized (LOCK) {
      if (shared == null) {
        RedisServerProcess process = RedisServerProcess.startDefault();
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "redis-test-server-stop"));
        shared = process;
      } else if (!shared.isRunning()) {
        shared.restart();
      }
      return shared;
    }
  }

  /**
   * {@code $REDIS_URL} when set, else {@link #shared()}'s URI. Use it for tests that only read and
   * write their own keys; tests that kill or restart Redis use {@link #shared()} or their own
   * {@link RedisServerProcess}.
   *
   * @throws IllegalStateException when {@code $REDIS_URL} is not on a loopback host, or when it is
   *     unset and {@code redis-server} is missing
   */
  public static String urlForNonDestructiveTests() {
    String fromEnv = System.getenv(REDIS_URL_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return requireLoopback(fromEnv.trim());
    }
    return shared().uri();
  }

  /**
   * Returns {@code url} when its host is loopback ({@code 127.x.x.x}, {@code localhost}, {@code
   * ::1}); otherwise throws {@link IllegalStateException}. Tests send traffic to this machine only.
   */
  static String requireLoopback(String url) {
    String host;
    try {
      host = new URI(url).getHost();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(REDIS_URL_ENV + " is not a valid URI: " + e.getMessage(), e);
    }
    if (host == null || !isLoopback(host)) {
      throw new IllegalStateException(
          REDIS_URL_ENV
              + " must point to a loopback host (127.x.x.x, localhost, "
              + "::1), tests never send traffic elsewhere: "
              + (host == null ? "(no host)" : host));
    }
    return url;
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(Character::isDigit)
          || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }
}
