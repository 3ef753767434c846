package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.caller;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.codec.SealingKeyRing;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenSnapshotStores;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.test.LogCapture;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bearer token never appears in any log record of any library in the process, at the most
 * verbose level, with the configuration a user gets by default (a sealed Redis store): JUL's root at
 * ALL, Lettuce's and Netty's loggers routed to JUL, their DEBUG/TRACE command output produced and
 * scanned. With the explicit plain-text opt-out, Lettuce's TRACE output does print the token; that
 * is why sealing is the default, and the WARNING at open says so.
 */
class RedisLogLeakTest {
  static {
    // Lettuce and Netty log through Netty's InternalLogger: routed to java.util.logging, where
    // LogCapture sees their DEBUG and TRACE output (command payloads included).
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
  }

  private static final String COMMAND_ENCODER = "io.lettuce.core.protocol.CommandEncoder";
  private static final String COMMAND_HANDLER = "io.lettuce.core.protocol.CommandHandler";

  private static RedisServerProcess redis;
  private static Path keyFile;

  @TempDir static Path directory;

  @BeforeAll
  static void startRedis() throws IOException {
    redis = RedisServerProcess.startDefault();
    keyFile = directory.resolve("keys");
    Files.writeString(keyFile,
        "k1:" + Base64.getEncoder().encodeToString(RedisSealedStoreTckTest.randomKey()));
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /** Captures, restores and consumes a caller's snapshot through every store operation. */
  private static void exercise(TokenSnapshotStore store, AccessToken caller) throws Exception {
    Baton baton = Baton.builder().store(store).build();
    TaskKey key;
    try (Scope request = baton.bindRequest(caller)) {
      key = baton.capture();
    }
    assertThat(baton.call(key, Baton::currentToken)).contains(caller);
    TaskKey again;
    try (Scope request = baton.bindRequest(caller)) {
      again = baton.capture();
    }
    assertThat(store.touch(again, Duration.ofMinutes(1))).isTrue();
    Optional<?> taken = store.take(again);
    assertThat(taken).isPresent();
    store.delete(key);
  }

  @Test
  void sealedStoreByDefault_noLogRecordOfAnyLibraryHoldsTheToken() throws Exception {
    AccessToken alice = caller("alice");
    String text;
    try (LogCapture logs = LogCapture.attach()) {
      try (TokenSnapshotStore store = TokenSnapshotStores.open(
          URI.create(redis.uri() + "?sealingKeys=file:" + keyFile))) {
        exercise(store, alice);
      }
      assertThat(logs.anyFrom(COMMAND_ENCODER)).as("Lettuce's CommandEncoder logged").isTrue();
      assertThat(logs.anyFrom(COMMAND_HANDLER)).as("Lettuce's CommandHandler logged").isTrue();
      text = logs.fullText();
    }

    assertThat(text).as("command payloads are in the scanned text")
        .contains("baton:snapshot:").contains("SET").contains("GETDEL");
    assertThat(text).doesNotContain(alice.token());
  }

  @Test
  void plainOptOut_lettuceTraceHoldsTheToken_andTheWarningAtOpenSaysSo() throws Exception {
    AccessToken bob = caller("bob");
    String text;
    try (LogCapture logs = LogCapture.attach()) {
      try (TokenSnapshotStore store =
          TokenSnapshotStores.open(URI.create(redis.uri() + "?sealing=none"))) {
        exercise(store, bob);
      }
      assertThat(logs.at(Level.WARNING, RedisTokenSnapshotStore.class.getName())).singleElement()
          .satisfies(warning -> assertThat(warning.getMessage())
              .contains("PLAIN TEXT", "Lettuce's or Netty's DEBUG/TRACE logs"));
      text = logs.fullText();
    }

    assertThat(text).as("why sealing is the default").contains(bob.token());
  }

  @Test
  void sealedStore_builtWithBuilder_noLogRecordHoldsTheToken() throws Exception {
    AccessToken carol = caller("carol");
    String text;
    try (LogCapture logs = LogCapture.attach()) {
      try (RedisTokenSnapshotStore store = RedisTokenSnapshotStore.builder().uri(redis.uri())
          .sealingKeys(SealingKeyRing.fromFile(keyFile)).build()) {
        exercise(store, carol);
      }
      assertThat(logs.anyFrom(COMMAND_HANDLER)).isTrue();
      text = logs.fullText();
    }

    assertThat(text).doesNotContain(carol.token());
  }
}
