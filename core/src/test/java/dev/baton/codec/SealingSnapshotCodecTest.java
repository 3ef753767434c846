package dev.baton.codec;

import static dev.baton.codec.CodecRoundTripProperties.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealingSnapshotCodecTest {
  private static final TaskKey KEY = new TaskKey("caller:abc", "task-1");
  private static final String SECRET = "tok_SEALED0123456789abcdef";
  private static final TokenSnapshot SNAPSHOT = TokenSnapshot.of(
      new AccessToken(SECRET, "client-1", List.of("read"), Instant.parse("2030-01-01T00:00:00Z"),
          null, Map.of("sub", "alice")),
      Instant.parse("2025-01-02T03:04:05.123456789Z"));
  private static final JsonSnapshotCodec JSON = JsonSnapshotCodec.create();

  private static SealingSnapshotCodec sealing(SealingKeyRing keys) {
    return SealingSnapshotCodec.wrap(JSON, keys);
  }

  private static final SealingSnapshotCodec K1 = sealing(SealingKeyRing.of("k1", key(1)));

  @Test
  void decodeOfEncode_isEqual() {
    assertThat(K1.decode(KEY, K1.encode(KEY, SNAPSHOT))).isEqualTo(SNAPSHOT);
  }

  @Test
  void encode_writesHeaderWithFormatVersion2AndKeyId() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    assertThat(Arrays.copyOf(sealed, 5)).containsExactly(0xBA, 2, 2, 'k', '1');
  }

  @Test
  void encode_isLongerThanTheInnerEncodingByHeader192BitNonceAndTag() {
    int inner = JSON.encode(KEY, SNAPSHOT).length;
    assertThat(K1.encode(KEY, SNAPSHOT)).hasSize(3 + 2 + 24 + inner + 16);
  }

  @Test
  void encode_doesNotContainTheTokenOrClaims() {
    String sealed = new String(K1.encode(KEY, SNAPSHOT), StandardCharsets.ISO_8859_1);
    assertThat(sealed).doesNotContain(SECRET).doesNotContain("alice").doesNotContain("client-1");
  }

  @Test
  void encode_usesAFreshNonceEachTime() {
    byte[] first = K1.encode(KEY, SNAPSHOT);
    byte[] second = K1.encode(KEY, SNAPSHOT);
    assertThat(Arrays.copyOfRange(first, 5, 29)).isNotEqualTo(Arrays.copyOfRange(second, 5, 29));
  }

  // ---- rotation ------------------------------------------------------------------------------

  @Test
  void decode_afterRotationToANewActiveKey_opensValuesSealedWithTheRetiredKey() {
    byte[] sealedWithK1 = K1.encode(KEY, SNAPSHOT);
    var rotated = sealing(SealingKeyRing.of("k2", key(2)).withRetired("k1", key(1)));
    assertThat(rotated.decode(KEY, sealedWithK1)).isEqualTo(SNAPSHOT);
  }

  @Test
  void encode_afterRotation_sealsWithTheNewActiveKey() {
    var rotated = sealing(SealingKeyRing.of("k2", key(2)).withRetired("k1", key(1)));
    byte[] sealed = rotated.encode(KEY, SNAPSHOT);
    assertThat(Arrays.copyOfRange(sealed, 3, 5)).containsExactly('k', '2');
    assertThat(sealing(SealingKeyRing.of("k2", key(2))).decode(KEY, sealed)).isEqualTo(SNAPSHOT);
  }

  @Test
  void decode_afterTheRetiredKeyIsRemoved_failsNamingTheMissingKeyId() {
    byte[] sealedWithK1 = K1.encode(KEY, SNAPSHOT);
    var k2Only = sealing(SealingKeyRing.of("k2", key(2)));
    assertThatThrownBy(() -> k2Only.decode(KEY, sealedWithK1))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("sealed with unknown key id k1; the key ring holds [k2]")
        .hasMessageContaining(KEY.toString())
        .hasMessageNotContaining(SECRET);
  }

  // ---- failures to open ----------------------------------------------------------------------

  @Test
  void decode_underAnotherTaskKey_failsAuthentication() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    TaskKey other = new TaskKey("caller:abc", "task-2");
    assertThatThrownBy(() -> K1.decode(other, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication")
        .hasMessageContaining(other.toString());
  }

  @Test
  void decode_underAnotherCallersScope_failsAuthentication() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    assertThatThrownBy(() -> K1.decode(new TaskKey("caller:xyz", "task-1"), sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void decode_withWrongKeyMaterialUnderTheSameId_failsAuthentication() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    var impostor = sealing(SealingKeyRing.of("k1", key(9)));
    assertThatThrownBy(() -> impostor.decode(KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication with key id k1")
        .hasMessageNotContaining(SECRET)
        .hasNoCause();
  }

  @Test
  void decode_withUnknownKeyId_failsNamingIt() {
    byte[] sealed = sealing(SealingKeyRing.of("other-7", key(7))).encode(KEY, SNAPSHOT);
    assertThatThrownBy(() -> K1.decode(KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("unknown key id other-7");
  }

  @Test
  void decode_withAnyOneByteChanged_fails() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> K1.decode(KEY, tampered))
          .as("flipped bit at index %d", i)
          .isInstanceOf(SnapshotDecodeException.class)
          .hasMessageNotContaining(SECRET);
    }
  }

  @Test
  void decode_truncatedToAnyLength_fails() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    for (int length = 0; length < sealed.length; length++) {
      byte[] truncated = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> K1.decode(KEY, truncated))
          .as("truncated to %d bytes", length)
          .isInstanceOf(SnapshotDecodeException.class);
    }
  }

  @Test
  void decode_truncatedWithinTheHeader_saysTruncated() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    assertThatThrownBy(() -> K1.decode(KEY, Arrays.copyOf(sealed, 20)))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("sealed value is truncated (20 bytes)");
  }

  @Test
  void decode_withBytesAppended_failsAuthentication() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    assertThatThrownBy(() -> K1.decode(KEY, Arrays.copyOf(sealed, sealed.length + 1)))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void decode_ofPlainJson_saysItIsNotSealed() {
    byte[] json = JSON.encode(KEY, SNAPSHOT);
    assertThatThrownBy(() -> K1.decode(KEY, json))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("value is not a sealed snapshot")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void decode_ofAnUnknownFormatVersion_namesItAndTheVersionsRead() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    sealed[1] = 3;
    assertThatThrownBy(() -> K1.decode(KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("unsupported sealed format version 3; this Baton reads versions 1"
            + " and 2");
  }

  @Test
  void decode_withMalformedKeyId_failsWithoutEchoingIt() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    sealed[3] = '\n';
    assertThatThrownBy(() -> K1.decode(KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("malformed header (key id characters)");
  }

  @Test
  void decode_innerFailure_passesTheInnerExceptionThrough() {
    var small = SealingSnapshotCodec.wrap(JsonSnapshotCodec.builder().maxEncodedBytes(50).build(),
        SealingKeyRing.of("k1", key(1)));
    byte[] sealedLarge = K1.encode(KEY, SNAPSHOT);
    assertThatThrownBy(() -> small.decode(KEY, sealedLarge))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("over the limit of 50");
  }

  @Test
  void encode_overTheInnerLimit_throwsIllegalArgument() {
    var small = SealingSnapshotCodec.wrap(JsonSnapshotCodec.builder().maxEncodedBytes(50).build(),
        SealingKeyRing.of("k1", key(1)));
    assertThatThrownBy(() -> small.encode(KEY, SNAPSHOT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decode_ofAValueMovedUnderAnotherTaskKeyOfAnotherRing_isRefused() {
    var k2 = sealing(SealingKeyRing.of("k2", key(2)).withRetired("k1", key(1)));
    byte[] sealed = k2.encode(KEY, SNAPSHOT);
    assertThatThrownBy(() -> k2.decode(new TaskKey("caller:abc", "task-1x"), sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication with key id k2");
  }

  @Test
  void decode_withTheKeyIdRewrittenToAnotherKeyOfTheRing_failsAuthentication() {
    var ring = sealing(SealingKeyRing.of("k2", key(2)).withRetired("k1", key(1)));
    byte[] sealed = ring.encode(KEY, SNAPSHOT);
    sealed[4] = '1'; // "k2" -> "k1": the ring holds k1, but the value was not sealed with it
    assertThatThrownBy(() -> ring.decode(KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication with key id k1");
  }

  @Test
  void decode_withTheFormatByteRewrittenTo1_fails() {
    byte[] sealed = K1.encode(KEY, SNAPSHOT);
    sealed[1] = 1;
    assertThatThrownBy(() -> K1.decode(KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication with key id k1")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void decode_ofOnlyTheHeaderNonceAndTag_isAnEmptyPlaintextThatFailsAuthentication() {
    byte[] sealed = Arrays.copyOf(K1.encode(KEY, SNAPSHOT), 3 + 2 + 24 + 16);
    assertThatThrownBy(() -> K1.decode(KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void toString_namesTheSchemeAndKeyIdsOnly() {
    assertThat(K1.toString()).contains("XAES-256-GCM v2").contains("k1");
  }

  @Test
  void toString_showsKeyIdsOnly() {
    assertThat(K1.toString()).contains("k1").doesNotContain("AQID");
  }
}
