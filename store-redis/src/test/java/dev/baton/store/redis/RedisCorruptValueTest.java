package dev.baton.store.redis;

import static dev.baton.store.redis.TestSupport.assertNeverContains;
import static dev.baton.store.redis.TestSupport.caller;
import static dev.baton.store.redis.TestSupport.containsBytes;
import static dev.baton.store.redis.TestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.AccessToken;
import dev.baton.Baton;
import dev.baton.RestoreFailedException;
import dev.baton.RestoreFailurePolicy;
import dev.baton.Scope;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SealingKeyRing;
import dev.baton.codec.SealingSnapshotCodec;
import dev.baton.codec.SnapshotCodec;
import dev.baton.codec.SnapshotDecodeException;
import dev.baton.store.TokenStoreException;
import dev.baton.store.redis.harness.RedisServerProcess;
import dev.baton.store.redis.harness.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values written straight into Redis, behind the store's back: each is a clear
 * {@link TokenStoreException} naming the key (never the token), and a task restored from one either
 * does not run or runs with no token, per policy &mdash; never as a different caller. The one
 * exception is stated honestly: a JSON value copied from another key is a valid JSON value, and
 * only the sealing codec binds values to their keys.
 */
class RedisCorruptValueTest {
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final SnapshotCodec JSON = JsonSnapshotCodec.create();
  private static final SnapshotCodec SEALING =
      SealingSnapshotCodec.wrap(JSON, SealingKeyRing.of("test", RedisSealedStoreTckTest.randomKey()));

  private static RedisServerProcess redis;
  private static RedisTokenSnapshotStore jsonStore;
  private static RedisTokenSnapshotStore sealedStore;

  /** The caller whose snapshot a corrupt value replaces or imitates. */
  private final AccessToken owner = caller("owner");
  /** Another caller, whose valid value is copied under the owner's key. */
  private final AccessToken other = caller("other");
  /** The caller a worker thread is bound to when it runs the task. */
  private final AccessToken bystander = caller("bystander");

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.startDefault();
    jsonStore = RedisTokenSnapshotStore.builder().uri(redis.uri()).codec(JSON)
        .withoutSealing().build();
    sealedStore = RedisTokenSnapshotStore.builder().uri(redis.uri()).codec(SEALING).build();
  }

  @AfterAll
  static void stop() {
    jsonStore.close();
    sealedStore.close();
    redis.close();
  }

  /** A way to put a bad value under a key, and the store (by codec) that meets it. */
  enum Corruption {
    GARBAGE_BYTES(false, SnapshotDecodeException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        byte[] garbage = new byte[200];
        new Random(42).nextBytes(garbage);
        garbage[0] = (byte) 0xFF; // never valid UTF-8
        t.setRaw(jsonStore, key, garbage);
      }
    },
    TRUNCATED(false, SnapshotDecodeException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        byte[] valid = JSON.encode(key, t.ownerSnapshot());
        t.setRaw(jsonStore, key, Arrays.copyOf(valid, valid.length / 2));
      }
    },
    WRONG_VERSION(false, SnapshotDecodeException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        String valid = new String(JSON.encode(key, t.ownerSnapshot()), StandardCharsets.UTF_8);
        assertThat(valid).startsWith("{\"v\":1,");
        t.setRaw(jsonStore, key, valid.replaceFirst("\\{\"v\":1,", "{\"v\":2,")
            .getBytes(StandardCharsets.UTF_8));
      }
    },
    OVERSIZED(false, SnapshotDecodeException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        String valid = new String(JSON.encode(key, t.ownerSnapshot()), StandardCharsets.UTF_8);
        String padded = valid.replace("\"claims\":{",
            "\"claims\":{\"pad\":\"" + "x".repeat(JsonSnapshotCodec.DEFAULT_MAX_ENCODED_BYTES)
                + "\",");
        t.setRaw(jsonStore, key, padded.getBytes(StandardCharsets.UTF_8));
      }
    },
    HASH_INSTEAD_OF_STRING(false, TokenStoreException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        assertThat(Resp.callBinary(redis.port(), bytes("HSET"), jsonStore.redisKey(key),
            bytes("token"), bytes(t.owner.token()))).isEqualTo(1L);
      }
    },
    SEALED_VALUE_COPIED_FROM_ANOTHER_KEY(true, SnapshotDecodeException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        TaskKey otherKey = key("other-task");
        sealedStore.save(otherKey, TokenSnapshot.of(t.other, Instant.now()), TTL);
        t.setRaw(sealedStore, key, t.getRaw(sealedStore, otherKey));
      }
    },
    SEALED_VALUE_WITH_ONE_BYTE_CHANGED(true, SnapshotDecodeException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        sealedStore.save(key, t.ownerSnapshot(), TTL);
        byte[] value = t.getRaw(sealedStore, key);
        value[value.length / 2] ^= 0x01;
        t.setRaw(sealedStore, key, value);
      }
    },
    PLAIN_JSON_WHERE_A_SEALED_VALUE_BELONGS(true, SnapshotDecodeException.class) {
      @Override
      void plant(RedisCorruptValueTest t, TaskKey key) throws IOException {
        t.setRaw(sealedStore, key, JSON.encode(key, t.ownerSnapshot()));
      }
    };

    final boolean sealed;
    final Class<? extends TokenStoreException> expected;

    Corruption(boolean sealed, Class<? extends TokenStoreException> expected) {
      this.sealed = sealed;
      this.expected = expected;
    }

    abstract void plant(RedisCorruptValueTest t, TaskKey key) throws IOException;

    RedisTokenSnapshotStore store() {
      return sealed ? sealedStore : jsonStore;
    }
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void load_corruptValue_throwsTokenStoreExceptionNamingTheKey(Corruption corruption)
      throws IOException {
    TaskKey key = key("corrupt-" + corruption);
    corruption.plant(this, key);

    Throwable thrown = catchThrowable(() -> corruption.store().load(key));

    assertThat(thrown).isInstanceOf(corruption.expected).hasMessageContaining(key.toString());
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void load_corruptValue_errorNeverContainsAToken(Corruption corruption) throws IOException {
    TaskKey key = key("corrupt-" + corruption);
    corruption.plant(this, key);

    Throwable thrown = catchThrowable(() -> corruption.store().load(key));

    assertThat(thrown).isNotNull();
    assertNeverContains(thrown, owner.token());
    assertNeverContains(thrown, other.token());
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void take_corruptValue_throwsTokenStoreExceptionNamingTheKey(Corruption corruption)
      throws IOException {
    TaskKey key = key("corrupt-" + corruption);
    corruption.plant(this, key);

    Throwable thrown = catchThrowable(() -> corruption.store().take(key));

    assertThat(thrown).isInstanceOf(corruption.expected).hasMessageContaining(key.toString());
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void run_corruptValue_underFailPolicy_doesNotRunTheTask(Corruption corruption)
      throws IOException {
    TaskKey key = key("corrupt-" + corruption);
    corruption.plant(this, key);
    Baton baton = Baton.builder().store(corruption.store()).build();
    AtomicBoolean ran = new AtomicBoolean();

    Throwable thrown;
    try (Scope request = baton.bindRequest(bystander)) {
      thrown = catchThrowable(() -> baton.run(key, () -> ran.set(true)));
    }

    assertThat(ran).isFalse();
    assertThat(thrown).isInstanceOf(RestoreFailedException.class)
        .hasCauseInstanceOf(corruption.expected);
    assertThat(((RestoreFailedException) thrown).reason())
        .isEqualTo(RestoreFailedException.Reason.STORE_FAILED);
  }

  @ParameterizedTest
  @EnumSource(Corruption.class)
  void run_corruptValue_underRunUnauthenticated_runsWithNoToken_notTheThreadsCaller(
      Corruption corruption) throws IOException {
    TaskKey key = key("corrupt-" + corruption);
    corruption.plant(this, key);
    Baton baton = Baton.builder()
        .store(corruption.store())
        .restoreFailurePolicy(RestoreFailurePolicy.RUN_UNAUTHENTICATED)
        .build();
    AtomicReference<Optional<AccessToken>> seen = new AtomicReference<>();

    try (Scope request = baton.bindRequest(bystander)) {
      baton.run(key, () -> seen.set(Baton.currentToken()));
    }

    assertThat(seen.get()).isEmpty();
  }

  @Test
  void copiedValue_underJsonCodec_restoresTheCopiedCaller_useSealingToBindValuesToKeys()
      throws Exception {
    TaskKey ownerKey = key("owner-task");
    TaskKey otherKey = key("other-task");
    jsonStore.save(otherKey, TokenSnapshot.of(other, Instant.now()), TTL);
    setRaw(jsonStore, ownerKey, getRaw(jsonStore, otherKey));
    Baton baton = Baton.builder().store(jsonStore).build();

    Optional<AccessToken> seen = baton.call(ownerKey, Baton::currentToken);

    // JSON holds no trace of the key it was written under: whoever can write to Redis can move a
    // caller's snapshot to another task. SealingSnapshotCodec closes this (see the sealed cases).
    assertThat(seen).contains(other);
  }

  @Test
  void copiedValue_underSealingCodec_failsToOpen() throws IOException {
    TaskKey ownerKey = key("owner-task");
    TaskKey otherKey = key("other-task");
    sealedStore.save(otherKey, TokenSnapshot.of(other, Instant.now()), TTL);
    setRaw(sealedStore, ownerKey, getRaw(sealedStore, otherKey));

    Throwable thrown = catchThrowable(() -> sealedStore.load(ownerKey));

    assertThat(thrown).isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining(ownerKey.toString())
        .hasMessageContaining("another task key");
  }

  @Test
  void sealedValue_rawBytesInRedis_neverContainTheToken() throws IOException {
    TaskKey key = key("sealed-at-rest");
    sealedStore.save(key, ownerSnapshot(), TTL);

    byte[] raw = getRaw(sealedStore, key);

    assertThat(containsBytes(raw, owner.token())).as("raw value holds the token").isFalse();
    assertThat(sealedStore.load(key)).contains(ownerSnapshot());
  }

  @Test
  void jsonValue_rawBytesInRedis_holdTheTokenInPlainText_useSealingToEncryptAtRest()
      throws IOException {
    TaskKey key = key("json-at-rest");
    jsonStore.save(key, ownerSnapshot(), TTL);

    byte[] raw = getRaw(jsonStore, key);

    assertThat(containsBytes(raw, owner.token())).isTrue();
  }

  @Test
  void save_overAKeyHoldingAHash_replacesItWithTheSnapshot() throws IOException {
    TaskKey key = key("hash-then-save");
    Corruption.HASH_INSTEAD_OF_STRING.plant(this, key);

    jsonStore.save(key, ownerSnapshot(), TTL);

    assertThat(jsonStore.load(key)).contains(ownerSnapshot());
  }

  private TokenSnapshot ownerSnapshot() {
    return TokenSnapshot.of(owner, Instant.parse("2030-01-01T00:00:00Z"));
  }

  private void setRaw(RedisTokenSnapshotStore store, TaskKey key, byte[] value)
      throws IOException {
    assertThat(Resp.callBinary(redis.port(), bytes("SET"), store.redisKey(key), value,
        bytes("PX"), bytes(Long.toString(TTL.toMillis())))).isEqualTo("OK");
  }

  private byte[] getRaw(RedisTokenSnapshotStore store, TaskKey key) throws IOException {
    Object value = Resp.callBinary(redis.port(), bytes("GET"), store.redisKey(key));
    assertThat(value).isInstanceOf(byte[].class);
    return (byte[]) value;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
