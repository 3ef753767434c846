package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.assertNeverContains;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.TokenStoreException;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When a Redis store cannot open, the first line of the exception names the cause in words, never
 * Lettuce's bare "Unable to connect to host:port", and no message in the chain holds the password.
 * Against real servers: one with {@code requirepass}, a closed port, a port that never answers.
 */
class RedisConnectionErrorTest {
  private static final String PASSWORD = "pw-7Qx9-secret";
  private static final String WRONG = "wrong-pw-4Zt2";

  private static RedisServerProcess redis;

  @BeforeAll
  static void startRedisWithPassword() throws IOException {
    redis = RedisServerProcess.startDefault();
    assertThat(Resp.call(redis.port(), "CONFIG", "SET", "requirepass", PASSWORD)).isEqualTo("OK");
  }

  @AfterAll
  static void stopRedis() {
    redis.close(); // SHUTDOWN is refused without AUTH; the harness then stops the process itself
  }

  private static Throwable open(String uri) {
    return catchThrowable(() -> TokenSnapshotStores.open(URI.create(uri)).close());
  }

  private static String firstLine(Throwable thrown) {
    return thrown.getMessage().lines().findFirst().orElse("");
  }

  @Test
  void open_rightPassword_works() {
    assertThat(open("redis://:" + PASSWORD + "@127.0.0.1:" + redis.port() + "?sealing=none"))
        .isNull();
  }

  @Test
  void open_wrongPassword_saysAuthenticationFailed() {
    Throwable thrown = open("redis://:" + WRONG + "@127.0.0.1:" + redis.port()
        + "?sealing=none&commandTimeout=PT2S");

    assertThat(thrown).isInstanceOf(TokenStoreException.class);
    // Redis answers WRONGPASS; rarely, under load, Lettuce sees the connection close first.
    assertThat(firstLine(thrown)).startsWith("could not connect to Redis at 127.0.0.1:"
        + redis.port() + ": ").containsAnyOf("authentication failed (WRONGPASS",
            "the server closed the connection while connecting; check the user name and password");
    assertNeverContains(thrown, WRONG);
    assertNeverContains(thrown, PASSWORD);
  }

  @Test
  void open_wrongUserAndPassword_saysAuthenticationFailed() {
    Throwable thrown = open("redis://mallory:" + WRONG + "@127.0.0.1:" + redis.port()
        + "?sealing=none");

    assertThat(firstLine(thrown)).contains(": authentication failed (");
    assertNeverContains(thrown, WRONG);
  }

  @Test
  void open_noPassword_saysAuthenticationFailed() {
    Throwable thrown = open("redis://127.0.0.1:" + redis.port() + "?sealing=none");

    assertThat(thrown).isInstanceOf(TokenStoreException.class);
    assertThat(firstLine(thrown)).contains(": authentication failed (NOAUTH");
  }

  @Test
  void connectFailure_whoseReasonLettuceLost_saysWhatToCheck() {
    // Lettuce's race when a handshake fails fast: the handler is gone from the closed channel by
    // the time it looks, and only this reaches the caller (the store first tries once more).
    var lost = new io.lettuce.core.RedisConnectionException("Unable to connect to 127.0.0.1:1",
        new IllegalStateException("RedisHandshakeHandler not registered"));

    assertThat(RedisErrors.lostHandshakeReason(lost)).isTrue();
    assertThat(RedisErrors.connectFailed("127.0.0.1:1", false, lost)).hasMessage(
        "could not connect to Redis at 127.0.0.1:1: the connection ended during Redis's handshake"
            + " before its reply was read (Lettuce: RedisHandshakeHandler not registered); check"
            + " the user name and password, rediss:// against a plain port (or the reverse), and"
            + " that it is Redis");
    assertThat(RedisErrors.lostHandshakeReason(
        new IllegalStateException("store is closed"))).isFalse();
  }

  @Test
  void open_databaseIndexOutOfRange_saysSo() {
    Throwable thrown = open("redis://:" + PASSWORD + "@127.0.0.1:" + redis.port()
        + "/99?sealing=none");

    assertThat(thrown).isInstanceOf(TokenStoreException.class);
    assertThat(firstLine(thrown)).contains(": database index out of range (ERR DB index is out of"
        + " range)");
    assertNeverContains(thrown, PASSWORD);
  }

  @Test
  void open_databaseIndexOutOfRangeAsParameter_saysSo() {
    Throwable thrown = open("redis://:" + PASSWORD + "@127.0.0.1:" + redis.port()
        + "?db=99&sealing=none");

    assertThat(firstLine(thrown)).contains(": database index out of range");
  }

  @Test
  void open_closedPort_saysConnectionRefused() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, Resp.LOOPBACK)) {
      closed = socket.getLocalPort();
    }

    Throwable thrown = open("redis://:" + PASSWORD + "@127.0.0.1:" + closed + "?sealing=none");

    assertThat(thrown).isInstanceOf(TokenStoreException.class);
    assertThat(firstLine(thrown)).isEqualTo("could not connect to Redis at 127.0.0.1:" + closed
        + ": connection refused; is Redis running and listening on that host and port?");
    assertNeverContains(thrown, PASSWORD);
  }

  @Test
  void open_serverThatNeverAnswers_saysTimedOut() throws IOException {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, Resp.LOOPBACK)) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            accepted.add(silent.accept()); // accept, never answer
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "silent-redis");
      acceptor.setDaemon(true);
      acceptor.start();

      Throwable thrown = open("redis://:" + PASSWORD + "@127.0.0.1:" + silent.getLocalPort()
          + "?sealing=none&commandTimeout=PT0.5S");

      assertThat(thrown).isInstanceOf(TokenStoreException.class);
      assertThat(firstLine(thrown)).contains(": timed out;");
      assertNeverContains(thrown, PASSWORD);
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void open_tlsToAPlainRedis_saysTimedOutAndThatTheTlsHandshakeIsPartOfIt() {
    Throwable thrown = open("rediss://:" + PASSWORD + "@127.0.0.1:" + redis.port()
        + "?sealing=none&verifyPeer=NONE&commandTimeout=PT1S");

    assertThat(thrown).isInstanceOf(TokenStoreException.class);
    assertThat(firstLine(thrown)).contains(": timed out;", "TLS handshake");
    assertNeverContains(thrown, PASSWORD);
  }

  @Test
  void open_tlsToAServerAnsweringPlainText_saysTlsHandshakeFailed() throws IOException {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket plain = new ServerSocket(0, 50, Resp.LOOPBACK)) {
      Thread answerer = new Thread(() -> {
        try {
          while (true) {
            Socket socket = plain.accept();
            accepted.add(socket);
            socket.getOutputStream().write("-ERR not TLS\r\n".repeat(64).getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "plain-text-server");
      answerer.setDaemon(true);
      answerer.start();

      Throwable thrown = open("rediss://:" + PASSWORD + "@127.0.0.1:" + plain.getLocalPort()
          + "?sealing=none&verifyPeer=NONE");

      assertThat(thrown).isInstanceOf(TokenStoreException.class);
      assertThat(firstLine(thrown)).contains(": TLS handshake failed (");
      assertNeverContains(thrown, PASSWORD);
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }
}
