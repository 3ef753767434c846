package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.containsBytes;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import dev.baton.test.LogCapture;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis store URIs are strict and sealed unless they say otherwise: a typo is refused, never passed
 * to Lettuce (which would ignore it); Lettuce's own parameters pass through by name; a store without
 * sealing keys does not open unless it opts out in words, and then warns.
 */
class RedisStoreParametersTest {
  static {
    // Lettuce and Netty log through Netty's InternalLogger: routed to java.util.logging, where
    // LogCapture sees their DEBUG and TRACE output (command payloads included).
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
  }

  private static final Duration TTL = Duration.ofMinutes(5);
  private static final String STORE_LOGGER = RedisTokenSnapshotStore.class.getName();

  private static RedisServerProcess redis;
  private static Path keyFile;

  @TempDir static Path directory;

  private final AccessToken alice = caller("alice");
  private final TokenSnapshot snapshot = TokenSnapshot.of(alice, Instant.now());

  @BeforeAll
  static void startRedis() throws IOException {
    redis = RedisServerProcess.startDefault();
    byte[] key = new byte[SealingKeyRing.KEY_BYTES];
    new SecureRandom().nextBytes(key);
    keyFile = directory.resolve("sealing-keys");
    Files.writeString(keyFile, "k1:" + Base64.getEncoder().encodeToString(key) + "\n");
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static TokenSnapshotStore open(String query) {
    return TokenSnapshotStores.open(URI.create(redis.uri() + "?" + query));
  }

  private static String sealingKeys() {
    return "sealingKeys=file:" + keyFile;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sealingkeys", "sealing_keys", "sealingKey", "SealingKeys",
      "sealing-keys"})
  void open_typoOfSealingKeys_isRefusedWithSuggestion(String typo) {
    assertThatThrownBy(() -> open(typo + "=file:" + keyFile + "&keyPrefix=p:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown redis store parameter '" + typo + "'")
        .hasMessageContaining("did you mean 'sealingKeys'?")
        .hasMessageContaining("sealing, sealingKeys")
        .hasMessageNotContaining(keyFile.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"keyprefix=p:", "key_prefix=p:", "commandtimeout=PT1S",
      "command-timeout=PT1S", "Sealing=none", "clientname=x", "DB=1", "Database=1",
      "verify_peer=NONE", "sentinelMasterId=m", "colour=blue"})
  void open_unknownOrTypoParameter_isRefusedNamingIt(String parameter) {
    String name = parameter.substring(0, parameter.indexOf('='));

    assertThatThrownBy(() -> open(sealingKeys() + "&" + parameter))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown redis store parameter '" + name + "'")
        .hasMessageContaining("known: clientName, commandTimeout, database, db, keyPrefix,"
            + " libraryName, libraryVersion, sealing, sealingKeys, verifyPeer")
        .hasMessageNotContaining("timeout,");
  }

  @Test
  void open_lettuceTimeout_isRefusedPointingToCommandTimeout() {
    assertThatThrownBy(() -> open(sealingKeys() + "&timeout=5s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis store parameter 'timeout' is not accepted")
        .hasMessageContaining("use commandTimeout")
        .hasMessageNotContaining("known:");
  }

  @Test
  void open_typo_listsOnlyAcceptedParameters() {
    assertThatThrownBy(() -> open(sealingKeys() + "&timeOut=5s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown redis store parameter 'timeOut'")
        .hasMessageNotContaining("did you mean 'timeout'")
        .satisfies(e -> assertThat(e.getMessage().substring(e.getMessage().indexOf("known:")))
            .doesNotContainPattern("\\btimeout\\b"));
  }

  @Test
  void open_duplicateParameter_isRefused() {
    assertThatThrownBy(() -> open(sealingKeys() + "&keyPrefix=a:&keyPrefix=b:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'keyPrefix' is given twice");
  }

  @Test
  void open_withoutSealingKeys_isRefusedSayingHowToSealOrOptOut() {
    assertThatThrownBy(() -> TokenSnapshotStores.open(URI.create(redis.uri())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs sealing keys")
        .hasMessageContaining("sealingKeys=env:BATON_SEALING_KEYS")
        .hasMessageContaining("sealingKeys=file:")
        .hasMessageContaining("openssl rand -base64 32")
        .hasMessageContaining("add sealing=none to the store URI");
  }

  @Test
  void open_sealingOtherThanNone_isRefused() {
    assertThatThrownBy(() -> open("sealing=off"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sealing can only be 'none'");
  }

  @Test
  void open_sealingKeysAndSealingNone_isRefused() {
    assertThatThrownBy(() -> open("sealing=none&" + sealingKeys()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contradict");
  }

  @Test
  void open_sealingKeysFromMissingEnvironmentVariable_isRefusedNamingIt() {
    assertThatThrownBy(() -> open("sealingKeys=env:BATON_TEST_NO_SUCH_VARIABLE"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("BATON_TEST_NO_SUCH_VARIABLE");
  }

  @Test
  void open_sealingKeysInAnyOrder_sealsValuesAtRest() throws IOException {
    for (String query : List.of(sealingKeys() + "&keyPrefix=sealed:", "keyPrefix=sealed:&"
        + sealingKeys(), "commandTimeout=PT2S&" + sealingKeys() + "&keyPrefix=sealed:")) {
      TaskKey key = key("sealed");
      try (TokenSnapshotStore store = open(query)) {
        store.save(key, snapshot, TTL);

        byte[] raw = (byte[]) Resp.callBinary(redis.port(),
            "GET".getBytes(StandardCharsets.UTF_8),
            ("sealed:" + key.encoded()).getBytes(StandardCharsets.UTF_8));
        assertThat(containsBytes(raw, alice.token())).as(query).isFalse();
        assertThat(store.load(key)).as(query).contains(snapshot);
        assertThat(((RedisTokenSnapshotStore) store).isSealed()).isTrue();
        assertThat(store.toString()).as(query).contains("sealed (").doesNotContain("NOT sealed");
      }
    }
  }

  @Test
  void open_sealingNone_opensPlainAndWarnsOnce() throws IOException {
    TaskKey key = key("plain");
    try (LogCapture logs = LogCapture.attach();
        TokenSnapshotStore store = open("sealing=none&keyPrefix=plain:")) {
      store.save(key, snapshot, TTL);

      byte[] raw = (byte[]) Resp.callBinary(redis.port(), "GET".getBytes(StandardCharsets.UTF_8),
          ("plain:" + key.encoded()).getBytes(StandardCharsets.UTF_8));
      assertThat(containsBytes(raw, alice.token())).isTrue();
      assertThat(store.toString()).contains("NOT sealed (sealing=none)");
      assertThat(logs.at(Level.WARNING, STORE_LOGGER)).singleElement()
          .satisfies(record -> assertThat(record.getMessage())
              .contains("PLAIN TEXT", "Lettuce's or Netty's DEBUG/TRACE logs", "sealingKeys"));
    }
  }

  @Test
  void open_sealed_logsNoWarning() {
    try (LogCapture logs = LogCapture.attach(); TokenSnapshotStore store = open(sealingKeys())) {
      assertThat(store).isNotNull();
      assertThat(logs.at(Level.WARNING, STORE_LOGGER)).isEmpty();
    }
  }

  @Test
  void open_lettuceClientName_isPassedThrough() throws IOException {
    try (TokenSnapshotStore store = open(sealingKeys() + "&clientName=baton-passthrough")) {
      assertThat(store).isNotNull();
      assertThat((String) Resp.call(redis.port(), "CLIENT", "LIST"))
          .contains("name=baton-passthrough");
    }
  }

  @Test
  void open_lettuceDatabase_isPassedThrough() throws IOException {
    TaskKey key = key("db");
    try (TokenSnapshotStore inDb3 = open(sealingKeys() + "&db=3&keyPrefix=dbtest:");
        TokenSnapshotStore inDb0 = open(sealingKeys() + "&keyPrefix=dbtest:")) {
      inDb3.save(key, snapshot, TTL);

      assertThat(inDb3.load(key)).contains(snapshot);
      assertThat(inDb0.load(key)).isEmpty();
    }
  }

  @Test
  void build_withoutSealingKeys_isRefusedSayingHowToSealOrOptOut() {
    assertThatThrownBy(() -> RedisTokenSnapshotStore.builder().uri(redis.uri()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs sealing keys")
        .hasMessageContaining("sealingKeys(SealingKeyRing.fromEnvironment(")
        .hasMessageContaining("openssl rand -base64 32")
        .hasMessageContaining("call withoutSealing() on the builder");
  }

  @Test
  void build_withPlainCodecOnly_isRefused() {
    assertThatThrownBy(() -> RedisTokenSnapshotStore.builder().uri(redis.uri())
        .codec(JsonSnapshotCodec.create()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not seal")
        .hasMessageContaining("withoutSealing()");
  }

  @Test
  void build_withSealingKeysAndWithoutSealing_isRefused() throws IOException {
    SealingKeyRing keys = SealingKeyRing.fromFile(keyFile);

    assertThatThrownBy(() -> RedisTokenSnapshotStore.builder().uri(redis.uri())
        .sealingKeys(keys).withoutSealing().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("contradicts");
  }

  @Test
  void build_withSealingKeys_isSealedAndSaysSo() throws IOException {
    try (RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(redis.uri())
        .sealingKeys(SealingKeyRing.fromFile(keyFile)).build()) {
      assertThat(store.isSealed()).isTrue();
      assertThat(store.toString()).contains("sealed (", "k1").doesNotContain("NOT sealed");
    }
  }

  @Test
  void build_withoutSealing_warnsOnceAndSaysSo() {
    try (LogCapture logs = LogCapture.attach();
        RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(redis.uri())
            .withoutSealing().build()) {
      assertThat(store.isSealed()).isFalse();
      assertThat(store.toString()).contains("NOT sealed");
      assertThat(logs.at(Level.WARNING, STORE_LOGGER)).hasSize(1);
    }
  }
}
