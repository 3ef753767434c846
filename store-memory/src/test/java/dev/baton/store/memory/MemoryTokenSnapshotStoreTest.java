package dev.baton.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import dev.baton.codec.JsonSnapshotCodec;
import dev.baton.codec.SnapshotDecodeException;
import dev.baton.scenarios.ManualTicker;
import dev.baton.store.TokenSnapshotStore;
import dev.baton.store.TokenStoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemoryTokenSnapshotStoreTest {
  private static final Duration NANO = Duration.ofNanos(1);
  private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

  private final ManualTicker ticker = new ManualTicker();
  private final List<MemoryTokenSnapshotStore> opened = new ArrayList<>();
  private final AccessToken alice = new AccessToken("memory-alice-jwt", "client", List.of("read"),
      AT.plusSeconds(3600), null, Map.of("sub", "alice", "n", 1));
  private final TaskKey key = TaskKey.forCaller(alice, "t");
  private final TokenSnapshot snapshot = TokenSnapshot.of(alice, AT);

  @AfterEach
  void tearDown() {
    opened.forEach(MemoryTokenSnapshotStore::close);
  }

  private MemoryTokenSnapshotStore store(boolean bytes) {
    MemoryTokenSnapshotStore.Builder builder =
        MemoryTokenSnapshotStore.builder().ticker(ticker).executor(Runnable::run);
    if (bytes) {
      builder.codec(JsonSnapshotCodec.create());
    }
    MemoryTokenSnapshotStore store = builder.build();
    opened.add(store);
    return store;
  }

  @ParameterizedTest(name = "bytes mode: {0}")
  @ValueSource(booleans = {false, true})
  void load_afterSave_returnsAnEqualSnapshot(boolean bytes) {
    MemoryTokenSnapshotStore store = store(bytes);

    store.save(key, snapshot, Duration.ofMinutes(1));

    assertThat(store.load(key)).contains(snapshot);
  }

  @Test
  void load_inBytesMode_returnsAFreshInstancePerRead() {
    MemoryTokenSnapshotStore store = store(true);
    store.save(key, snapshot, Duration.ofMinutes(1));

    assertThat(store.load(key).orElseThrow()).isNotSameAs(store.load(key).orElseThrow());
  }

  @ParameterizedTest(name = "bytes mode: {0}")
  @ValueSource(booleans = {false, true})
  void load_justBeforeTtl_isPresent_andAtTtl_isEmpty(boolean bytes) {
    MemoryTokenSnapshotStore store = store(bytes);
    store.save(key, snapshot, Duration.ofSeconds(30));

    ticker.advance(Duration.ofSeconds(30).minus(NANO));
    assertThat(store.load(key)).isPresent();
    ticker.advance(NANO);

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void load_doesNotExtendTheTtl() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofSeconds(30));

    ticker.advance(Duration.ofSeconds(20));
    assertThat(store.load(key)).isPresent();
    ticker.advance(Duration.ofSeconds(10));

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void save_overwritesTheValueAndTheTtl() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofSeconds(10));
    TokenSnapshot replacement = TokenSnapshot.anonymous(AT.plusSeconds(1));

    store.save(key, replacement, Duration.ofSeconds(60));
    ticker.advance(Duration.ofSeconds(59));

    assertThat(store.load(key)).contains(replacement);
  }

  @Test
  void save_withShorterTtl_shortensIt() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofSeconds(60));

    store.save(key, snapshot, Duration.ofSeconds(5));
    ticker.advance(Duration.ofSeconds(5));

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void save_longerThanMaxTtl_isKeptForMaxTtl() {
    MemoryTokenSnapshotStore store = store(false);

    store.save(key, snapshot, java.time.temporal.ChronoUnit.FOREVER.getDuration());
    ticker.advance(MemoryTokenSnapshotStore.MAX_TTL.minus(NANO));
    assertThat(store.load(key)).contains(snapshot);
    ticker.advance(NANO);

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void save_withAnEnormousTtl_isAccepted() {
    MemoryTokenSnapshotStore store = store(false);

    store.save(key, snapshot, Duration.ofSeconds(Long.MAX_VALUE));
    ticker.advance(Duration.ofDays(365 * 100));

    assertThat(store.load(key)).contains(snapshot);
  }

  @Test
  void save_nullArguments_throwNpeNamingThem() {
    MemoryTokenSnapshotStore store = store(false);

    assertThatNullPointerException().isThrownBy(() -> store.save(null, snapshot, NANO))
        .withMessage("key");
    assertThatNullPointerException().isThrownBy(() -> store.save(key, null, NANO))
        .withMessage("snapshot");
    assertThatNullPointerException().isThrownBy(() -> store.save(key, snapshot, null))
        .withMessage("ttl");
    assertThat(store.load(key)).isEmpty();
  }

  @ParameterizedTest(name = "bytes mode: {0}")
  @ValueSource(booleans = {false, true})
  void save_tooLarge_isRejected_andNothingIsStored(boolean bytes) {
    MemoryTokenSnapshotStore store = store(bytes);
    AccessToken huge = new AccessToken("memory-huge-jwt", "client", List.of(), null, null,
        Map.of("blob", "x".repeat(JsonSnapshotCodec.DEFAULT_MAX_ENCODED_BYTES)));

    assertThatThrownBy(() -> store.save(key, TokenSnapshot.of(huge, AT), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void keys_thatDifferOnlyInEscapedCharacters_neverShareAnEntry() {
    MemoryTokenSnapshotStore store = store(true);
    TaskKey first = new TaskKey("a:b", "c");
    TaskKey second = new TaskKey("a", "b:c");
    store.save(first, snapshot, Duration.ofMinutes(1));

    assertThat(store.load(second)).isEmpty();
  }

  @Test
  void delete_removesAndReportsWhetherAnEntryExisted() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofMinutes(1));

    assertThat(store.delete(key)).isTrue();
    assertThat(store.delete(key)).isFalse();
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void delete_ofAnExpiredEntry_reportsFalse() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(1));

    assertThat(store.delete(key)).isFalse();
  }

  @Test
  void touch_resetsTheTtlFromNow() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofSeconds(10));
    ticker.advance(Duration.ofSeconds(8));

    assertThat(store.touch(key, Duration.ofSeconds(10))).isTrue();
    ticker.advance(Duration.ofSeconds(10).minus(NANO));
    assertThat(store.load(key)).isPresent();
    ticker.advance(NANO);

    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void touch_ofAMissingEntry_isFalse_andCreatesNothing() {
    MemoryTokenSnapshotStore store = store(false);

    assertThat(store.touch(key, Duration.ofSeconds(10))).isFalse();
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void touch_ttlZero_throwsNamingTtl_andKeepsTheOldTtl() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofSeconds(10));

    assertThatThrownBy(() -> store.touch(key, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    ticker.advance(Duration.ofSeconds(10));
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void take_returnsTheSnapshotOnce() {
    MemoryTokenSnapshotStore store = store(true);
    store.save(key, snapshot, Duration.ofMinutes(1));

    assertThat(store.take(key)).contains(snapshot);
    assertThat(store.take(key)).isEmpty();
    assertThat(store.load(key)).isEmpty();
  }

  @Test
  void take_concurrently_givesTheSnapshotToExactlyOneCaller() throws Exception {
    MemoryTokenSnapshotStore store = store(false);
    int takers = 8;
    ExecutorService threads = Executors.newFixedThreadPool(takers);
    try {
      for (int round = 0; round < 200; round++) {
        store.save(key, snapshot, Duration.ofMinutes(1));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<TokenSnapshot>>> results = new ArrayList<>();
        for (int i = 0; i < takers; i++) {
          results.add(threads.submit(() -> {
            start.await();
            return store.take(key);
          }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Optional<TokenSnapshot>> result : results) {
          winners += result.get(10, TimeUnit.SECONDS).isPresent() ? 1 : 0;
        }
        assertThat(winners).as("round %d", round).isEqualTo(1);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void capabilities_areAll() {
    assertThat(store(false).capabilities()).isEqualTo(TokenSnapshotStore.Capabilities.ALL);
  }

  @Test
  void rawValue_inBytesMode_isACopy() {
    MemoryTokenSnapshotStore store = store(true);
    store.save(key, snapshot, Duration.ofMinutes(1));
    byte[] raw = store.rawValue(key).orElseThrow();

    raw[0] = 'X';

    assertThat(store.load(key)).contains(snapshot);
  }

  @Test
  void rawValue_inObjectMode_isEmpty() {
    MemoryTokenSnapshotStore store = store(false);
    store.save(key, snapshot, Duration.ofMinutes(1));

    assertThat(store.rawValue(key)).isEmpty();
  }

  @Test
  void putRawValue_inObjectMode_throwsIllegalState() {
    MemoryTokenSnapshotStore store = store(false);

    assertThatThrownBy(() -> store.putRawValue(key, new byte[] {1}, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void load_ofACorruptValue_throwsSnapshotDecodeException() {
    MemoryTokenSnapshotStore store = store(true);
    store.putRawValue(key, "garbage".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));

    assertThatThrownBy(() -> store.load(key))
        .isInstanceOf(SnapshotDecodeException.class)
        .isInstanceOf(TokenStoreException.class);
  }

  @Test
  void load_ofAValueMovedFromAnotherKey_failsOrReturnsItUnchanged() {
    MemoryTokenSnapshotStore store = store(true);
    store.save(key, snapshot, Duration.ofMinutes(1));
    TaskKey other = TaskKey.forCaller(null, "other");
    store.putRawValue(other, store.rawValue(key).orElseThrow(), Duration.ofMinutes(1));

    // the plain JSON codec does not bind values to keys (the sealing codec does); it must at
    // least never invent a different snapshot
    assertThatCode(() -> assertThat(store.load(other)).contains(snapshot))
        .doesNotThrowAnyException();
  }

  @Test
  void closedStore_everyOperationThrowsIllegalState() {
    MemoryTokenSnapshotStore store = store(true);
    store.save(key, snapshot, Duration.ofMinutes(1));

    store.close();

    assertThatThrownBy(() -> store.save(key, snapshot, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.load(key)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.delete(key)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.touch(key, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.take(key)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.rawValue(key)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void close_twice_isHarmless() {
    MemoryTokenSnapshotStore store = store(false);
    store.close();

    assertThatCode(store::close).doesNotThrowAnyException();
  }

  @Test
  void maximumSize_notPositive_throwsNamingMaximumSize() {
    assertThatThrownBy(() -> MemoryTokenSnapshotStore.builder().maximumSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumSize");
  }

  @Test
  void builder_nullArguments_throwNpeNamingThem() {
    assertThatNullPointerException().isThrownBy(() -> MemoryTokenSnapshotStore.builder().ticker(null))
        .withMessage("ticker");
    assertThatNullPointerException().isThrownBy(() -> MemoryTokenSnapshotStore.builder().codec(null))
        .withMessage("codec");
    assertThatNullPointerException()
        .isThrownBy(() -> MemoryTokenSnapshotStore.builder().executor(null))
        .withMessage("executor");
  }

  @Test
  void sizeBound_evictsBeyondTheMaximum() {
    MemoryTokenSnapshotStore store = MemoryTokenSnapshotStore.builder().ticker(ticker)
        .executor(Runnable::run).maximumSize(10).build();
    opened.add(store);

    for (int i = 0; i < 100; i++) {
      store.save(new TaskKey("s", "t" + i), snapshot, Duration.ofMinutes(1));
    }

    assertThat(store.estimatedSize()).isLessThanOrEqualTo(10);
  }
}
