package dev.baton.store.redis;

import dev.baton.TaskKey;
import dev.baton.store.TokenStoreException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

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
      // Not reached by the store's own commands, which wait uninterruptibly; kept for safety.
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

  /**
   * A store could not open: Lettuce says "Unable to connect to host:port" and buries the reason two
   * or three causes down. The first line here names the reason in words; Lettuce's chain stays as
   * the cause. Never a password: Redis's error replies do not echo it, and the URI is not quoted.
   */
  static TokenStoreException connectFailed(String where, boolean tls, RuntimeException e) {
    String reason = reason(e);
    if (tls && reason.startsWith(TIMED_OUT)) {
      // A plain Redis that receives a TLS hello waits for a newline that never comes.
      reason += " With rediss:// the TLS handshake is part of connecting: a port that does not"
          + " serve TLS never completes it.";
    }
    return new TokenStoreException("could not connect to Redis at " + where + ": " + reason, e);
  }

  private static final String TIMED_OUT = "timed out";

  /** The most telling cause in {@code e}'s chain, in words, with what to check. */
  static String reason(Throwable e) {
    String redisError = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof RedisCommandExecutionException || message.startsWith("WRONGPASS")
          || message.startsWith("NOAUTH") || message.startsWith("ERR")) {
        redisError = message;
        break;
      }
    }
    if (redisError != null) {
      String upper = redisError.toUpperCase(Locale.ROOT);
      if (upper.startsWith("WRONGPASS") || upper.startsWith("NOAUTH")
          || upper.contains("PASSWORD") || upper.contains("AUTH")) {
        return "authentication failed (" + firstLine(redisError) + "); check the user name and"
            + " password in the store URI or its secret";
      }
      if (upper.contains("DB INDEX")) {
        return "database index out of range (" + firstLine(redisError) + "); check the /database"
            + " or db= part of the store URI against the server's 'databases' setting";
      }
      return "Redis refused the connection (" + firstLine(redisError) + ")";
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLException) {
        return "TLS handshake failed (" + t.getClass().getSimpleName() + ": "
            + firstLine(String.valueOf(t.getMessage())) + "); check rediss:// against the server's"
            + " TLS port, its certificate and verifyPeer";
      }
      if (t instanceof RedisCommandTimeoutException || t instanceof SocketTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) { // Netty's ConnectTimeoutException
        return TIMED_OUT + "; is the host reachable, the port right and the commandTimeout long"
            + " enough?";
      }
      // After the timeout check: Netty's ConnectTimeoutException is a ConnectException.
      if (t instanceof ConnectException
          || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connection refused")) {
        return "connection refused; is Redis running and listening on that host and port?";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host; check the host name in the store URI";
      }
    }
    if (lostHandshakeReason(e)) {
      return "the connection ended during Redis's handshake before its reply was read (Lettuce:"
          + " RedisHandshakeHandler not registered); check the user name and password, rediss://"
          + " against a plain port (or the reverse), and that it is Redis";
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("closed prematurely")) {
        // Seen (rarely, under load) after a refused AUTH, before Lettuce reads the error reply.
        return "the server closed the connection while connecting; check the user name and"
            + " password, rediss:// against a plain port (or the reverse), and that it is Redis";
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + firstLine(String.valueOf(root.getMessage()));
  }

  /**
   * Whether Lettuce lost the reason a connection failed: when the handshake fails fast (a refused
   * AUTH), Lettuce can find its handshake handler already gone from the closed channel and report
   * only that, without the server's reply. Another attempt usually reports the reply.
   */
  static boolean lostHandshakeReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IllegalStateException
          && "RedisHandshakeHandler not registered".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
