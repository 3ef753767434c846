package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.TokenStoreException;
import dev.baton.store.redis.harness.RedisCluster;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TokenSnapshotStores#open(URI)} with Redis URIs: {@code redis://} and
 * {@code redis-cluster://} open working stores with Baton's own parameters applied, and no failure
 * message ever repeats the password.
 */
class RedisStoreProviderTest {
  private static final String PASSWORD = "s3cret-pw";
  /** The explicit opt-out of sealing, for tests about something else. */
  private static final String PLAIN = "sealing=none";
  private static final Duration TTL = Duration.ofMinutes(5);

  private static RedisServerProcess redis;

  private final TokenSnapshot snapshot = TokenSnapshot.of(caller("provider"), Instant.now());

  @BeforeAll
  static void startRedis() throws IOException {
    redis = RedisServerProcess.startDefault();
    // An ACL user with a password; the default user stays open for the harness.
    assertThat(Resp.call(redis.port(), "ACL", "SETUSER", "alice", "on", ">" + PASSWORD, "~*",
        "+@all")).isEqualTo("OK");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void open_redisUri_withKeyPrefix_storesUnderThatPrefix() throws IOException {
    TaskKey key = key("prefixed");
    try (TokenSnapshotStore store = TokenSnapshotStores.open(
        URI.create(redis.uri() + "?keyPrefix=x:&commandTimeout=PT1S&" + PLAIN))) {
      store.save(key, snapshot, TTL);

      assertThat(store).isInstanceOf(RedisTokenSnapshotStore.class);
      assertThat(store.load(key)).contains(snapshot);
      assertThat(Resp.call(redis.port(), "EXISTS", "x:" + key.encoded())).isEqualTo(1L);
    }
  }

  @Test
  void open_redisUri_withCommandTimeout_appliesIt() {
    try (TokenSnapshotStore store = TokenSnapshotStores.open(
        URI.create(redis.uri() + "?keyPrefix=x:&commandTimeout=PT1S&" + PLAIN))) {
      assertThat(store.toString()).contains("timeout=PT1S");
    }
  }

  @Test
  void open_redisUri_withMillisecondCommandTimeout_appliesIt() {
    try (TokenSnapshotStore store =
        TokenSnapshotStores.open(URI.create(redis.uri() + "?commandTimeout=1500&" + PLAIN))) {
      assertThat(store.toString()).contains("timeout=PT1.5S");
    }
  }

  @Test
  void open_redisUri_withoutParameters_usesTheDefaultPrefix() throws IOException {
    TaskKey key = key("default-prefix");
    try (TokenSnapshotStore store = TokenSnapshotStores.open(URI.create(redis.uri() + "?" + PLAIN))) {
      store.save(key, snapshot, TTL);

      assertThat(Resp.call(redis.port(), "EXISTS",
          RedisTokenSnapshotStore.DEFAULT_KEY_PREFIX + key.encoded())).isEqualTo(1L);
    }
  }

  @Test
  void open_redisUri_withAclUserAndPassword_authenticates() {
    TaskKey key = key("acl");
    try (TokenSnapshotStore store = TokenSnapshotStores.open(URI.create(
        "redis://alice:" + PASSWORD + "@127.0.0.1:" + redis.port() + "?" + PLAIN))) {
      store.save(key, snapshot, TTL);

      assertThat(store.load(key)).contains(snapshot);
    }
  }

  @Test
  void open_redisUri_withWrongPassword_throwsTokenStoreExceptionWithoutThePassword() {
    String wrong = "not-" + PASSWORD;

    Throwable thrown = catchThrowable(() -> TokenSnapshotStores.open(URI.create(
        "redis://alice:" + wrong + "@127.0.0.1:" + redis.port() + "?commandTimeout=PT1S&" + PLAIN)));

    assertThat(thrown).isInstanceOf(TokenStoreException.class);
    TestSupport.assertNeverContains(thrown, wrong);
  }

  @Test
  void open_unreachableRedis_throwsTokenStoreExceptionWithoutThePassword() throws IOException {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0, 1, Resp.LOOPBACK)) {
      deadPort = socket.getLocalPort();
    }

    Throwable thrown = catchThrowable(() -> TokenSnapshotStores.open(URI.create(
        "redis://alice:" + PASSWORD + "@127.0.0.1:" + deadPort + "?commandTimeout=PT1S&" + PLAIN)));

    assertThat(thrown).isInstanceOf(TokenStoreException.class);
    TestSupport.assertNeverContains(thrown, PASSWORD);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "redis://alice:" + PASSWORD + "@127.0.0.1:notaport?" + PLAIN,
      "redis://alice:" + PASSWORD + "@127.0.0.1:99999?" + PLAIN,
      "redis://alice:" + PASSWORD + "@127.0.0.1:6390?commandTimeout=soon&" + PLAIN,
      "redis://alice:" + PASSWORD + "@127.0.0.1:6390?commandTimeout=PT0S&" + PLAIN,
      "rediss://alice:" + PASSWORD + "@127.0.0.1:6390?verifyPeer=SOMETIMES&" + PLAIN,
      "redis-cluster://alice:" + PASSWORD + "@?" + PLAIN,
      "redis-cluster://alice:" + PASSWORD + "@127.0.0.1:notaport,127.0.0.1:6390?" + PLAIN,
      "redis:alice:" + PASSWORD + "@127.0.0.1:6390",
      "redis:x",
  })
  void open_malformedUri_throwsIaeWithoutThePassword(String uri) {
    Throwable thrown = catchThrowable(() -> TokenSnapshotStores.open(URI.create(uri)));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
    TestSupport.assertNeverContains(thrown, PASSWORD);
  }

  @Test
  void open_redisClusterUri_opensAWorkingClusterStore() {
    try (RedisCluster cluster = RedisCluster.start()) {
      String seeds = "127.0.0.1:" + cluster.ports().get(0) + ",127.0.0.1:" + cluster.ports().get(1);
      try (TokenSnapshotStore store = TokenSnapshotStores.open(
          URI.create("redis-cluster://" + seeds + "?keyPrefix=c:&commandTimeout=PT2S&" + PLAIN))) {
        for (int i = 0; i < 20; i++) { // keys spread over all three masters' slots
          TaskKey key = key("cluster-" + i);
          store.save(key, snapshot, TTL);
          assertThat(store.load(key)).contains(snapshot);
        }
        assertThat(store.toString()).contains("cluster");
      }
    }
  }

  @Test
  void open_unknownScheme_isNotHandledByTheRedisProvider() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create("redis-sentinel-x://h:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis-cluster");
  }
}
