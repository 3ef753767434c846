package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Every snapshot comes back equal from both codecs. */
class CodecRoundTripProperties {
  private static final JsonSnapshotCodec JSON = JsonSnapshotCodec.create();
  private static final SealingSnapshotCodec SEALED = SealingSnapshotCodec.wrap(JSON,
      SealingKeyRing.of("k2", key(2)).withRetired("k1", key(1)));

  private static final Gen<TokenSnapshot> SNAPSHOTS = SnapshotGenerators.snapshots();
  private static final Gen<TaskKey> KEYS = SnapshotGenerators.taskKeys();

  @Test
  void json_decodeOfEncode_isEqual() {
    qt().withExamples(2000).forAll(KEYS, SNAPSHOTS).checkAssert((key, snapshot) ->
        assertThat(JSON.decode(key, JSON.encode(key, snapshot))).isEqualTo(snapshot));
  }

  /**
   * {@code checkSize} agrees with {@code encode} on what is too large; small limits put generated
   * snapshots on both sides of the line.
   */
  @Test
  void json_checkSize_refusesExactlyWhatEncodeRefuses() {
    qt().withExamples(2000).forAll(KEYS, SNAPSHOTS, Generate.range(100, 20_000))
        .checkAssert(CodecRoundTripProperties::checkSizeAgreesWithEncode);
  }

  private static void checkSizeAgreesWithEncode(TaskKey key, TokenSnapshot snapshot, int limit) {
    JsonSnapshotCodec codec = JsonSnapshotCodec.builder().maxEncodedBytes(limit).build();

    Throwable byEncode = catchThrowable(() -> codec.encode(key, snapshot));
    Throwable byCheck = catchThrowable(() -> codec.checkSize(snapshot));

    if (byEncode == null) {
      assertThat(byCheck).isNull();
    } else {
      assertThat(byEncode).isInstanceOf(IllegalArgumentException.class);
      assertThat(byCheck).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(byEncode.getMessage());
    }
  }

  /**
   * A codec that has already checked a token still agrees with {@code encode} on the next snapshot
   * of that same token instance, captured at another instant (one that may encode longer).
   */
  @Test
  void json_checkSize_ofATokenCheckedBefore_refusesExactlyWhatEncodeRefuses() {
    qt().withExamples(2000).forAll(KEYS, SNAPSHOTS, Generate.range(100, 20_000))
        .checkAssert((key, snapshot, limit) -> {
          JsonSnapshotCodec codec = JsonSnapshotCodec.builder().maxEncodedBytes(limit).build();
          catchThrowable(() -> codec.checkSize(snapshot));
          TokenSnapshot later = TokenSnapshot.ofNullable(snapshot.accessToken().orElse(null),
              anotherInstant(snapshot.capturedAt()));

          Throwable byEncode = catchThrowable(() -> codec.encode(key, later));
          Throwable byCheck = catchThrowable(() -> codec.checkSize(later));

          if (byEncode == null) {
            assertThat(byCheck).isNull();
          } else {
            assertThat(byCheck).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(byEncode.getMessage());
          }
        });
  }

  /** An instant 123456789 ns away, towards the epoch so that it never leaves Instant's range. */
  private static Instant anotherInstant(Instant instant) {
    return instant.getEpochSecond() >= 0 ? instant.minusNanos(123_456_789)
        : instant.plusNanos(123_456_789);
  }

  @Test
  void json_encoding_isAscii() {
    qt().withExamples(2000).forAll(KEYS, SNAPSHOTS).checkAssert((key, snapshot) -> {
      byte[] bytes = JSON.encode(key, snapshot);
      assertThat(StandardCharsets.US_ASCII.newEncoder()
          .canEncode(new String(bytes, StandardCharsets.ISO_8859_1))).isTrue();
    });
  }

  @Test
  void sealed_decodeOfEncode_isEqual() {
    qt().withExamples(2000).forAll(KEYS, SNAPSHOTS).checkAssert((key, snapshot) ->
        assertThat(SEALED.decode(key, SEALED.encode(key, snapshot))).isEqualTo(snapshot));
  }

  @Test
  void sealed_encodingTwice_givesDifferentBytes() {
    qt().withExamples(500).forAll(KEYS, SNAPSHOTS).checkAssert((key, snapshot) ->
        assertThat(SEALED.encode(key, snapshot)).isNotEqualTo(SEALED.encode(key, snapshot)));
  }

  @Test
  void sealed_encoding_doesNotContainTheToken() {
    qt().withExamples(500).forAll(KEYS, SNAPSHOTS)
        .checkAssert(CodecRoundTripProperties::sealedDoesNotContainTheToken);
  }

  private static void sealedDoesNotContainTheToken(TaskKey key, TokenSnapshot snapshot) {
    byte[] sealed = SEALED.encode(key, snapshot);
    String latin1 = new String(sealed, StandardCharsets.ISO_8859_1);
    snapshot.accessToken().ifPresent(token -> {
      if (token.token().length() >= 8) {
        assertThat(latin1).doesNotContain(token.token());
        assertThat(Base64.getEncoder().encodeToString(sealed)).doesNotContain(token.token());
      }
    });
  }

  static byte[] key(int seed) {
    byte[] key = new byte[SealingKeyRing.KEY_BYTES];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (seed * 31 + i);
    }
    return key;
  }
}
