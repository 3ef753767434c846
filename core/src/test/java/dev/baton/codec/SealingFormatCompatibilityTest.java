package dev.baton.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.AccessToken;
import dev.baton.TaskKey;
import dev.baton.TokenSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Values written by an earlier release keep opening: each resource here was written by the code
 * of that release (not by the code under test) and is committed unchanged.
 */
class SealingFormatCompatibilityTest {
  /** Key material of every vector: the bytes 0x00 to 0x1f. */
  private static final byte[] VECTOR_KEY =
      Base64.getDecoder().decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  private static final String VECTOR_KEY_ID = "release-0.1";
  private static final TaskKey VECTOR_TASK_KEY = new TaskKey("caller:abc", "task-1");
  private static final TokenSnapshot VECTOR_SNAPSHOT = TokenSnapshot.of(
      new AccessToken("tok_VECTOR0123456789abcdef", "client-1", List.of("read", "write"),
          Instant.parse("2030-01-01T00:00:00Z"), null, Map.of("sub", "alice")),
      Instant.parse("2025-01-02T03:04:05.123456789Z"));

  /** Written by format 1 (AES-256-GCM, 96-bit random nonce), the format of Baton 0.1. */
  private static final String FORMAT_1 = "sealed-format1-aes256gcm.hex";

  private static final SealingSnapshotCodec CODEC = SealingSnapshotCodec.wrap(
      JsonSnapshotCodec.create(), SealingKeyRing.of(VECTOR_KEY_ID, VECTOR_KEY));

  @Test
  void decode_ofAValueWrittenByFormat1_opensTheSnapshot() throws IOException {
    assertThat(CODEC.decode(VECTOR_TASK_KEY, vector(FORMAT_1))).isEqualTo(VECTOR_SNAPSHOT);
  }

  @Test
  void format1Vector_startsWithMagicFormatByte1AndTheKeyId() throws IOException {
    byte[] sealed = vector(FORMAT_1);
    assertThat(sealed[0]).isEqualTo((byte) 0xBA);
    assertThat(sealed[1]).isEqualTo((byte) 1);
    assertThat(new String(sealed, 3, sealed[2], StandardCharsets.US_ASCII))
        .isEqualTo(VECTOR_KEY_ID);
  }

  @Test
  void decode_ofAValueWrittenByFormat1_afterRotation_opensWithTheRetiredKey() throws IOException {
    byte[] newKey = new byte[SealingKeyRing.KEY_BYTES];
    var rotated = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(),
        SealingKeyRing.of("release-0.2", newKey).withRetired(VECTOR_KEY_ID, VECTOR_KEY));
    assertThat(rotated.decode(VECTOR_TASK_KEY, vector(FORMAT_1))).isEqualTo(VECTOR_SNAPSHOT);
  }

  @Test
  void decode_ofAValueWrittenByFormat1_underAnotherTaskKey_isRefused() throws IOException {
    byte[] sealed = vector(FORMAT_1);
    assertThatThrownBy(() -> CODEC.decode(new TaskKey("caller:abc", "task-2"), sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication");
  }

  @Test
  void decode_ofTheFormat1VectorWithAnyOneByteChanged_failsNamingNoSecret() throws IOException {
    byte[] sealed = vector(FORMAT_1);
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThatThrownBy(() -> CODEC.decode(VECTOR_TASK_KEY, tampered))
          .as("flipped bit at index %d", i)
          .isInstanceOf(SnapshotDecodeException.class)
          .hasMessageNotContaining("tok_VECTOR")
          .hasMessageNotContaining("AAECAwQF");
    }
  }

  @Test
  void decode_ofTheFormat1VectorWithWrongKeyMaterialUnderItsId_failsAuthentication()
      throws IOException {
    var impostor = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(),
        SealingKeyRing.of(VECTOR_KEY_ID, new byte[SealingKeyRing.KEY_BYTES]));
    byte[] sealed = vector(FORMAT_1);
    assertThatThrownBy(() -> impostor.decode(VECTOR_TASK_KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("failed authentication with key id " + VECTOR_KEY_ID)
        .hasNoCause();
  }

  @Test
  void decode_ofTheFormat1VectorWithoutItsKeyId_failsNamingTheId() throws IOException {
    var other = SealingSnapshotCodec.wrap(JsonSnapshotCodec.create(),
        SealingKeyRing.of("release-0.2", VECTOR_KEY));
    byte[] sealed = vector(FORMAT_1);
    assertThatThrownBy(() -> other.decode(VECTOR_TASK_KEY, sealed))
        .isInstanceOf(SnapshotDecodeException.class)
        .hasMessageContaining("sealed with unknown key id release-0.1; the key ring holds"
            + " [release-0.2]");
  }

  @Test
  void encode_withTheKeyOfAFormat1Value_writesFormat2ThatOpens() {
    byte[] sealed = CODEC.encode(VECTOR_TASK_KEY, VECTOR_SNAPSHOT);
    assertThat(sealed[1]).isEqualTo((byte) SealingSnapshotCodec.FORMAT_VERSION);
    assertThat(CODEC.decode(VECTOR_TASK_KEY, sealed)).isEqualTo(VECTOR_SNAPSHOT);
  }

  private static byte[] vector(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(
        SealingFormatCompatibilityTest.class.getResourceAsStream(name), name)) {
      return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    }
  }
}
