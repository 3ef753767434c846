package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Every snapshot comes back equal from both codecs. */
class CodecRoundTripProperties {
  private static final JsonSnapshotCodec JSON = JsonSnapshotCodec.create();
  private static final SealingSnapshotCodec SEALED = SealingSnapshotCodec.wrap(JSON,
      SealingKeyRing.of("k2", key(2)).withRetired("k1", key(1)));

  @Provide
  Arbitrary<TokenSnapshot> snapshots() {
    return SnapshotArbitraries.snapshots();
  }

  @Provide
  Arbitrary<TaskKey> keys() {
    return SnapshotArbitraries.taskKeys();
  }

  @Property(tries = 2000)
  void json_decodeOfEncode_isEqual(
      @ForAll("keys") TaskKey key, @ForAll("snapshots") TokenSnapshot snapshot) {
    assertThat(JSON.decode(key, JSON.encode(key, snapshot))).isEqualTo(snapshot);
  }

  /**
   * {@code checkSize} agrees with {@code encode} on what is too large; small limits put generated
   * snapshots on both sides of the line.
   */
  @Property(tries = 2000)
  void json_checkSize_refusesExactlyWhatEncodeRefuses(
      @ForAll("keys") TaskKey key, @ForAll("snapshots") TokenSnapshot snapshot,
      @ForAll @IntRange(min = 100, max = 20_000) int limit) {
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

  @Property(tries = 2000)
  void json_encoding_isAscii(
      @ForAll("keys") TaskKey key, @ForAll("snapshots") TokenSnapshot snapshot) {
    byte[] bytes = JSON.encode(key, snapshot);
    assertThat(StandardCharsets.US_ASCII.newEncoder()
        .canEncode(new String(bytes, StandardCharsets.ISO_8859_1))).isTrue();
  }

  @Property(tries = 2000)
  void sealed_decodeOfEncode_isEqual(
      @ForAll("keys") TaskKey key, @ForAll("snapshots") TokenSnapshot snapshot) {
    assertThat(SEALED.decode(key, SEALED.encode(key, snapshot))).isEqualTo(snapshot);
  }

  @Property(tries = 500)
  void sealed_encodingTwice_givesDifferentBytes(
      @ForAll("keys") TaskKey key, @ForAll("snapshots") TokenSnapshot snapshot) {
    assertThat(SEALED.encode(key, snapshot)).isNotEqualTo(SEALED.encode(key, snapshot));
  }

  @Property(tries = 500)
  void sealed_encoding_doesNotContainTheToken(
      @ForAll("keys") TaskKey key, @ForAll("snapshots") TokenSnapshot snapshot) {
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
